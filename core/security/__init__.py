"""The server's login security: throttling rules (``login.toml``) and the password deny-list (``denied_passwords.txt``).

Security settings of the server, not an outlet's business policy: IT edits these files (or sets
``CONSOLE_SECURITY_TOML`` to another copy of login.toml); the console reads them once per process.
"""
