"""Text from data, files or the URL shown as text, never as markup: one function per surface.

- `md`: Streamlit elements that render Markdown (markdown, caption, info/warning/error/success,
  title/subheader, metric, help). Markup characters are backslash-escaped, so links, images, emphasis,
  HTML, `$…$` math, `:color[…]` and headings in a name are shown as the characters they are; line
  breaks become spaces so a name cannot start a block; web and e-mail addresses get an invisible word
  joiner so they are not made links.
- `plot`: Plotly labels, ticks, legends, titles and hovers, which read `<b>`, `<a href>` and entities:
  `&`, `<`, `>` become entities, and `%` becomes `&#37;` so `%{…}` in a name is never substituted
  (Plotly turns the entity back into `%` when it draws the text).
- `reflect`: a value echoed from the URL, cut to a short length, then escaped for Markdown.
- `terminal`: a line the command line prints: control characters (escape sequences, line breaks,
  bidirectional overrides) shown as `\x1b`, `\x0a`, `\u202e`, so a file name cannot drive the terminal.

Table cells (st.dataframe) draw text on a canvas as text and need nothing.
"""

from __future__ import annotations

import html
import re
import unicodedata

import pandas as pd

REFLECT_CHARS = 40  # a reflected URL value longer than this is cut with "…"
# Every character that can open a Markdown, GFM or Streamlit construct (links, images, emphasis, code,
# HTML and entities, math, `:color[…]`, headings, tables, autolinked e-mail and web addresses).
_MD_SPECIAL = {ord(c): "\\" + c for c in "\\`*_{}[]<>()#+-.!|~$:&@="}
# GFM turns web and e-mail addresses into links after escapes are resolved (on the parsed text), so
# escaping cannot stop it: an invisible WORD JOINER after `://`'s colon, `www` and `@` breaks the match.
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)")
WORD_JOINER = "\u2060"
_LINE_BREAKS = {ord(c): " " for c in "\r\n\t\v\f\u2028\u2029\x85"}
# Invisible characters that reorder the text around them (Trojan Source), beside the Cc control characters.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_PLOT_SPECIAL = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("%"): "&#37;"}


def md(value: object) -> str:
    """`value` as literal text inside a Markdown-rendering Streamlit element."""
    return _AUTOLINK.sub(WORD_JOINER, str(value).translate(_LINE_BREAKS)).translate(_MD_SPECIAL)


def plot(value: object) -> str:
    """`value` as literal text on a Plotly surface (title, tick, legend, hover, annotation)."""
    return str(value).translate(_PLOT_SPECIAL)


def unplot(value: object) -> object:
    """The text `plot` was given back (a chart mark's value read from a click); other values as they are."""
    return html.unescape(value) if isinstance(value, str) else value


def plot_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text columns are safe to plot: categories, names and customdata."""
    text_columns = [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
    return frame.assign(**{c: frame[c].map(plot, na_action="ignore") for c in text_columns})


def cut(value: object, limit: int = REFLECT_CHARS) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def reflect(value: object, limit: int = REFLECT_CHARS) -> str:
    """A URL value echoed in a warning: short, and literal."""
    return md(cut(value, limit))


def code(value: object) -> str:
    """`value` as a Markdown code span: literal inside, and no backtick or line break to end it early."""
    return "`" + str(value).translate(_LINE_BREAKS).replace("`", "'") + "`"


def _visible(char: str) -> str:
    if char in _BIDI_CONTROLS or unicodedata.category(char) == "Cc":
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    return char


def terminal(value: object) -> str:
    """`value` as one line of terminal output: every control character shown as its escape, never sent."""
    return "".join(map(_visible, str(value)))
