"""Storage of the console: engine, tables, migrations and the services that read and write them."""
