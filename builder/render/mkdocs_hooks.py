"""MkDocs hooks (listed under `hooks:` in mkdocs.yml).

- The jieba user dictionary path in mkdocs.yml is read relative to the
  directory of mkdocs.yml, not the shell's working directory.
- Pages drop the indentation of Material's templates (about a tenth of each
  page): a newline followed by spaces renders exactly like a newline, except
  inside <pre> and <textarea>, so pages holding those are left alone.
- Material writes search_index.json with every Chinese character escaped as
  \\uXXXX (6 bytes); rewriting it as plain UTF-8 (3 bytes) halves the index
  every reader downloads. The content is unchanged.
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
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
