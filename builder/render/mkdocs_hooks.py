"""MkDocs hooks (listed under `hooks:` in mkdocs.yml).

- The jieba user dictionary path in mkdocs.yml is read relative to the
  directory of mkdocs.yml, not the shell's working directory.
- Pages drop the indentation of Material's templates (about a tenth of each
  page): a newline followed by spaces renders exactly like a newline, except
  inside <pre> and <textarea>, so pages holding those are left alone.
- Material writes search_index.json with every Chinese character escaped as
  \\uXXXX (6 bytes); rewriting it as plain UTF-8 (3 bytes) halves the index
  every reader downloads.
- In that rewrite, a number and a one-character word right after it, which
  Material's segmentation cut apart (2024|年, 3|秒), become one word again.
  Material matches each word of a query by its beginning, and no word began
  with 2024年: a reader searching 2024年 found nothing. Only the zero-width
  space between the two goes: the text reads the same, and 2024 still finds
  2024年. Other one-character words stay: Material also cuts queries at index
  terms (镇人民政府 into 镇 and 人民), and without them such a query found
  nothing.
"""
from __future__ import annotations

import json
import os
import re

from mkdocs.plugins import event_priority


@event_priority(100)  # before Material's search plugin reads the setting
def on_config(config, **kwargs):
    base = os.path.dirname(os.path.abspath(config.config_file_path))
    for plugin in config.plugins.values():
        cfg = getattr(plugin, "config", None)
        path = cfg.get("jieba_dict_user") if hasattr(cfg, "get") else None
        if path and not os.path.isabs(path):
            cfg["jieba_dict_user"] = os.path.join(base, path)
    return config


_INDENT = re.compile(r"\n\s+")


@event_priority(-100)
def on_post_page(output, page, config, **kwargs):
    if "<pre" in output or "<textarea" in output:
        return output
    return _INDENT.sub("\n", output)


@event_priority(-100)  # after Material's search plugin wrote the index
def on_post_build(config, **kwargs):
    path = os.path.join(config.site_dir, "search", "search_index.json")
    if not os.path.isfile(path):
        return
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    join = units_joined_to_numbers(data.get("config", {}).get("separator", ""))
    for doc in data.get("docs", []):
        for field in ("title", "text"):
            if isinstance(doc.get(field), str):
                doc[field] = join(doc[field])
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))


_HAN = "[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ebef]"


def units_joined_to_numbers(separator: str):
    """text → text with each one-character Chinese word joined to the number just before it,
    when only zero-width spaces part them (a visible space leaves it alone). `separator`: the
    index's, a character class repeated (`[…]+`)."""
    if not (separator.startswith("[") and separator.endswith("]+")):
        return lambda text: text  # a separator of another shape: no way to tell where a word ends
    cut = re.compile(rf"(?<=\d)\u200b+(?={_HAN}(?:{separator[:-1]}|<|$))")
    return lambda text: cut.sub("", text)
