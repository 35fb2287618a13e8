"""Records → the archive's generated pages and data (one job per module).

model        entries, slugs, duplicates and versions; every input accounted for
html         escaping, links between pages, front matter
tables       tables 二, 三, 四 in the official layout, from builder.template
report       one report page
searchtext   which prose sentences go into the search index (size budget)
indexes      home, by region, by year, agencies A–Z, by validation status
stats        statistics per year and region, with charts (charts: inline SVG)
downloads    JSON and CSV files and the downloads page
rules        the page explaining every validation rule
buildreport  every input file and what became of it
searchdict   the jieba user dictionary for Material's search
mkdocs_hooks loaded by MkDocs itself (see mkdocs.yml)
"""
