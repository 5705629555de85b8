"""Data is text: what comes from a file, a database row or an account is shown literally wherever Streamlit renders
Markdown (st.error, st.warning, st.info, st.success, st.caption, st.markdown, st.write, widget labels).

``plain`` backslash-escapes every ASCII punctuation character. In Markdown (CommonMark and GitHub's extensions, which
Streamlit renders) an escaped punctuation character is always the character itself, so no link, autolink
(``https:``, ``www.``, ``a@b``), emphasis, HTML tag, LaTeX (``$``), colour (``:red[..]``) or emoji shortcode can form
from it. Pages escape the data they interpolate (``ctx.t(key, name=plain(name))``) and every exception message
(``st.error(plain(exc.text(ctx.lang)))``): the console's own message texts hold no Markdown.
"""

from __future__ import annotations

import re
import string

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")


def plain(text: object) -> str:
    """``text`` as literal Markdown: punctuation escaped, runs of white space (line breaks too) as one space."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def plain_lines(lines) -> str:
    """Several lines, each literal, kept as lines (Markdown hard breaks)."""
    return "  \n".join(plain(line) for line in lines)
