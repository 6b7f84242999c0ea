"""The demo city, as plain data: a fictional province (江川省 / Jiangchuan Province) and city (明湖市 / Minghu
City) with 8 districts and counties, 60 streets and townships, 300 communities and villages, a few grids, the
city's departments, the district bureaus, the three-level category catalogue and the responsibility matrix.

Everything here is deterministic (the community and village names come from word lists through a seeded
generator), so two runs describe the same city. ``org.seed`` builds it through the services."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cache
from typing import Any

# --- the province and the city ----------------------------------------------------------------------------

CENTRE = (30.60, 114.30)  # the city's fictional centre (latitude, longitude)

PROVINCE: dict[str, Any] = {
    "code": "JC",
    "name_zh": "江川省",
    "name_en": "Jiangchuan Province",
    "kind": "province",
    "population": 38_600_000,
    "households": 13_900_000,
    "latitude": "30.900000",
    "longitude": "113.800000",
}

CITY: dict[str, Any] = {
    "code": "JC01",
    "name_zh": "明湖市",
    "name_en": "Minghu City",
    "kind": "city",
    "latitude": f"{CENTRE[0]:.6f}",
    "longitude": f"{CENTRE[1]:.6f}",
}
CITY_SHORT_ZH = "明湖"
CITY_SHORT_EN = "Minghu"

# --- districts and counties, with their streets and townships ---------------------------------------------
# A street entry is (Chinese word, pinyin, kind): "s" 街道 / Subdistrict, "z" 镇 / Town, "x" 乡 / Township.

DISTRICTS: list[dict] = [
    {
        "suffix": "01",
        "name_zh": "湖心区",
        "name_en": "Huxin District",
        "short_zh": "湖心",
        "short_en": "Huxin",
        "kind": "district",
        "offset": (0.000, 0.000),
        "streets": [
            ("和平", "Heping", "s"),
            ("解放", "Jiefang", "s"),
            ("人民", "Renmin", "s"),
            ("新华", "Xinhua", "s"),
            ("鼓楼", "Gulou", "s"),
            ("明珠", "Mingzhu", "s"),
            ("湖滨", "Hubin", "s"),
            ("书院", "Shuyuan", "s"),
            ("中山", "Zhongshan", "s"),
        ],
    },
    {
        "suffix": "02",
        "name_zh": "望江区",
        "name_en": "Wangjiang District",
        "short_zh": "望江",
        "short_en": "Wangjiang",
        "kind": "district",
        "offset": (0.055, -0.070),
        "streets": [
            ("滨江", "Binjiang", "s"),
            ("江岸", "Jiang'an", "s"),
            ("码头", "Matou", "s"),
            ("临江", "Linjiang", "s"),
            ("沙洲", "Shazhou", "s"),
            ("望江门", "Wangjiangmen", "s"),
            ("汉水", "Hanshui", "s"),
            ("长堤", "Changdi", "s"),
        ],
    },
    {
        "suffix": "03",
        "name_zh": "云台区",
        "name_en": "Yuntai District",
        "short_zh": "云台",
        "short_en": "Yuntai",
        "kind": "district",
        "offset": (0.080, 0.060),
        "streets": [
            ("云台", "Yuntai", "s"),
            ("翠微", "Cuiwei", "s"),
            ("凤凰", "Fenghuang", "s"),
            ("松柏", "Songbai", "s"),
            ("青石", "Qingshi", "s"),
            ("梅林", "Meilin", "s"),
            ("白云", "Baiyun", "s"),
            ("龙泉", "Longquan", "s"),
        ],
    },
    {
        "suffix": "04",
        "name_zh": "柳岸区",
        "name_en": "Liu'an District",
        "short_zh": "柳岸",
        "short_en": "Liu'an",
        "kind": "district",
        "offset": (-0.060, 0.075),
        "streets": [
            ("柳岸", "Liu'an", "s"),
            ("桃源", "Taoyuan", "s"),
            ("杏花", "Xinghua", "s"),
            ("荷塘", "Hetang", "s"),
            ("枫桥", "Fengqiao", "s"),
            ("春晖", "Chunhui", "s"),
            ("金沙", "Jinsha", "s"),
            ("玉泉", "Yuquan", "s"),
        ],
    },
    {
        "suffix": "05",
        "name_zh": "金桥区",
        "name_en": "Jinqiao District",
        "short_zh": "金桥",
        "short_en": "Jinqiao",
        "kind": "district",
        "offset": (-0.075, -0.050),
        "streets": [
            ("金桥", "Jinqiao", "s"),
            ("东风", "Dongfeng", "s"),
            ("红旗", "Hongqi", "s"),
            ("钢城", "Gangcheng", "s"),
            ("机电", "Jidian", "s"),
            ("纺织", "Fangzhi", "s"),
            ("建设", "Jianshe", "s"),
        ],
    },
    {
        "suffix": "06",
        "name_zh": "新港区",
        "name_en": "Xingang District",
        "short_zh": "新港",
        "short_en": "Xingang",
        "kind": "district",
        "offset": (0.010, 0.160),
        "streets": [
            ("新港", "Xingang", "s"),
            ("港湾", "Gangwan", "s"),
            ("科苑", "Keyuan", "s"),
            ("学府", "Xuefu", "s"),
            ("星光", "Xingguang", "s"),
            ("汇金", "Huijin", "s"),
            ("银湖", "Yinhu", "s"),
            ("未来城", "Weilaicheng", "s"),
        ],
    },
    {
        "suffix": "07",
        "name_zh": "清溪县",
        "name_en": "Qingxi County",
        "short_zh": "清溪",
        "short_en": "Qingxi",
        "kind": "county",
        "offset": (-0.380, 0.290),
        "streets": [
            ("清溪", "Qingxi", "s"),
            ("城关", "Chengguan", "z"),
            ("白沙", "Baisha", "z"),
            ("石桥", "Shiqiao", "z"),
            ("茶山", "Chashan", "x"),
            ("双河", "Shuanghe", "x"),
        ],
    },
    {
        "suffix": "08",
        "name_zh": "松岭县",
        "name_en": "Songling County",
        "short_zh": "松岭",
        "short_en": "Songling",
        "kind": "county",
        "offset": (0.410, -0.260),
        "streets": [
            ("松岭", "Songling", "s"),
            ("永丰", "Yongfeng", "z"),
            ("大湾", "Dawan", "z"),
            ("青龙", "Qinglong", "z"),
            ("竹林", "Zhulin", "x"),
            ("白鹤", "Baihe", "x"),
        ],
    },
]

STREET_KINDS = {
    # kind letter: (area kind, Chinese suffix, English suffix, office Chinese suffix, office English suffix)
    "s": ("street", "街道", "Subdistrict", "街道办事处", "Subdistrict Office"),
    "z": ("township", "镇", "Town", "镇人民政府", "Town People's Government"),
    "x": ("township", "乡", "Township", "乡人民政府", "Township People's Government"),
}

COMMUNITIES_PER_STREET = 5
# The communities that are divided into grids (code of the community: number of grids).
GRIDDED_COMMUNITIES = {"JC0101001001": 4, "JC0102001001": 4, "JC0103001001": 3}

# --- word lists for community and village names ------------------------------------------------------------

# fmt: off
URBAN_WORDS: list[tuple[str, str]] = [
    ("和平", "Heping"), ("东风", "Dongfeng"), ("滨江", "Binjiang"), ("桃源", "Taoyuan"), ("长青", "Changqing"),
    ("幸福", "Xingfu"), ("光明", "Guangming"), ("建设", "Jianshe"), ("胜利", "Shengli"), ("团结", "Tuanjie"),
    ("友谊", "Youyi"), ("文化", "Wenhua"), ("春晖", "Chunhui"), ("朝阳", "Chaoyang"), ("翠微", "Cuiwei"),
    ("金沙", "Jinsha"), ("银杏", "Yinxing"), ("玉泉", "Yuquan"), ("清河", "Qinghe"), ("白鹭", "Bailu"),
    ("梅林", "Meilin"), ("竹园", "Zhuyuan"), ("荷塘", "Hetang"), ("枫桥", "Fengqiao"), ("望湖", "Wanghu"),
    ("南湖", "Nanhu"), ("北苑", "Beiyuan"), ("东门", "Dongmen"), ("南门", "Nanmen"), ("双桥", "Shuangqiao"),
    ("三里", "Sanli"), ("五星", "Wuxing"), ("七里", "Qili"), ("龙潭", "Longtan"), ("凤凰", "Fenghuang"),
    ("鹤鸣", "Heming"), ("锦绣", "Jinxiu"), ("丰收", "Fengshou"), ("永安", "Yong'an"), ("长乐", "Changle"),
    ("安康", "Ankang"), ("太平", "Taiping"), ("振兴", "Zhenxing"), ("向阳", "Xiangyang"), ("书香", "Shuxiang"),
    ("学苑", "Xueyuan"), ("科技", "Keji"), ("港湾", "Gangwan"), ("铁路", "Tielu"), ("钢花", "Ganghua"),
    ("纺机", "Fangji"), ("电厂", "Dianchang"), ("汇金", "Huijin"), ("银湖", "Yinhu"), ("明珠", "Mingzhu"),
    ("彩虹", "Caihong"), ("星光", "Xingguang"), ("月湖", "Yuehu"), ("日新", "Rixin"), ("华苑", "Huayuan"),
]

# (Chinese suffix, English form: "{}" is the pinyin of the word)
URBAN_SUFFIXES: list[tuple[str, str]] = [
    ("", "{}"),
    ("里", "{}li"),
    ("苑", "{}yuan"),
    ("新村", "{} Xincun"),
    ("花园", "{} Garden"),
    ("路", "{} Road"),
]

SURNAMES: list[tuple[str, str]] = [
    ("杨", "Yang"), ("李", "Li"), ("张", "Zhang"), ("陈", "Chen"), ("刘", "Liu"), ("王", "Wang"),
    ("黄", "Huang"), ("周", "Zhou"), ("何", "He"), ("高", "Gao"), ("吴", "Wu"), ("徐", "Xu"), ("胡", "Hu"),
    ("朱", "Zhu"), ("郭", "Guo"), ("罗", "Luo"), ("梁", "Liang"), ("宋", "Song"), ("郑", "Zheng"),
    ("谢", "Xie"), ("韩", "Han"), ("唐", "Tang"), ("冯", "Feng"), ("邓", "Deng"), ("曹", "Cao"),
    ("彭", "Peng"), ("曾", "Zeng"), ("肖", "Xiao"), ("田", "Tian"), ("董", "Dong"),
]
VILLAGE_FEATURES: list[tuple[str, str]] = [
    ("湾", "wan"), ("岭", "ling"), ("坪", "ping"), ("桥", "qiao"), ("冲", "chong"), ("畈", "fan"),
    ("岗", "gang"), ("店", "dian"), ("庄", "zhuang"), ("台", "tai"), ("坡", "po"), ("垸", "yuan"),
]
RURAL_WORDS: list[tuple[str, str]] = [
    ("桃花", "Taohua"), ("新塘", "Xintang"), ("柳树", "Liushu"), ("龙泉", "Longquan"), ("青龙", "Qinglong"),
    ("白沙", "Baisha"), ("红星", "Hongxing"), ("先锋", "Xianfeng"), ("光荣", "Guangrong"), ("金星", "Jinxing"),
    ("双河", "Shuanghe"), ("三合", "Sanhe"), ("四方", "Sifang"), ("五里", "Wuli"), ("八一", "Bayi"),
    ("永丰", "Yongfeng"), ("茶山", "Chashan"), ("竹林", "Zhulin"), ("杨柳", "Yangliu"), ("黄土", "Huangtu"),
    ("梅花", "Meihua"), ("枫树", "Fengshu"), ("荷叶", "Heye"), ("白鹤", "Baihe"), ("石门", "Shimen"),
    ("松林", "Songlin"), ("大塘", "Datang"), ("小河", "Xiaohe"), ("上坪", "Shangping"), ("下湾", "Xiawan"),
    ("新农", "Xinnong"), ("丰乐", "Fengle"), ("联合", "Lianhe"), ("群力", "Qunli"), ("长岭", "Changling"),
]
# fmt: on


# --- the generated tree -----------------------------------------------------------------------------------


@dataclass
class AreaSpec:
    code: str
    name_zh: str
    name_en: str
    kind: str
    population: int
    households: int
    latitude: str
    longitude: str
    children: list[AreaSpec] = field(default_factory=list)
    short_zh: str = ""
    short_en: str = ""
    street_kind: str = ""  # "s", "z" or "x" for streets and townships

    def fields(self) -> dict:
        return {
            "code": self.code,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "kind": self.kind,
            "population": self.population,
            "households": self.households,
            "latitude": self.latitude,
            "longitude": self.longitude,
        }


def _coordinate(value: float) -> str:
    return f"{value:.6f}"


def _community_names(rng: random.Random, street_kind: str, count: int) -> list[tuple[str, str, str]]:
    """``count`` distinct (Chinese, English, kind) names: communities in a subdistrict; one community and the
    rest villages in a town; only villages in a township."""
    names: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    urban_count = {"s": count, "z": 1, "x": 0}[street_kind]
    while len(names) < count:
        if len(names) < urban_count:
            word_zh, word_en = rng.choice(URBAN_WORDS)
            suffix_zh, suffix_en = rng.choice(URBAN_SUFFIXES)
            if suffix_zh and word_zh[-1] in "苑园":
                continue  # not "学苑苑"
            name_zh, name_en, kind = f"{word_zh}{suffix_zh}", suffix_en.format(word_en), "community"
        elif rng.random() < 0.55:
            surname_zh, surname_en = rng.choice(SURNAMES)
            feature_zh, feature_en = rng.choice(VILLAGE_FEATURES)
            name_zh, name_en, kind = f"{surname_zh}家{feature_zh}", f"{surname_en}jia{feature_en}", "village"
        else:
            word_zh, word_en = rng.choice(RURAL_WORDS)
            name_zh, name_en, kind = word_zh, word_en, "village"
        if name_zh in seen:
            continue
        seen.add(name_zh)
        names.append((name_zh, name_en, kind))
    return names


@cache
def area_tree() -> AreaSpec:
    """The province, with the city, its districts, streets, communities and grids below it."""
    rng = random.Random(20260101)  # noqa: S311 - demo data, not security
    city_lat, city_lon = CENTRE
    districts: list[AreaSpec] = []
    for district in DISTRICTS:
        d_code = f"{CITY['code']}{district['suffix']}"
        d_lat, d_lon = city_lat + district["offset"][0], city_lon + district["offset"][1]
        rural = district["kind"] == "county"
        streets: list[AreaSpec] = []
        for s_index, (word_zh, word_en, street_kind) in enumerate(district["streets"], start=1):
            area_kind, suffix_zh, suffix_en, _office_zh, _office_en = STREET_KINDS[street_kind]
            s_code = f"{d_code}{s_index:03d}"
            spread = 0.12 if rural else 0.03
            s_lat, s_lon = d_lat + rng.uniform(-spread, spread), d_lon + rng.uniform(-spread, spread)
            communities: list[AreaSpec] = []
            for c_index, (name_zh, name_en, kind) in enumerate(
                _community_names(rng, street_kind, COMMUNITIES_PER_STREET), start=1
            ):
                c_code = f"{s_code}{c_index:03d}"
                if kind == "community":
                    population = rng.randint(5_500, 16_000)
                    households = int(population / rng.uniform(2.5, 2.9))
                    full_zh, full_en = f"{name_zh}社区", f"{name_en} Community"
                else:
                    population = rng.randint(1_100, 3_600)
                    households = int(population / rng.uniform(2.9, 3.4))
                    full_zh, full_en = f"{name_zh}村", f"{name_en} Village"
                c_spread = 0.04 if street_kind != "s" else 0.01
                community = AreaSpec(
                    code=c_code,
                    name_zh=full_zh,
                    name_en=full_en,
                    kind=kind,
                    population=population,
                    households=households,
                    latitude=_coordinate(s_lat + rng.uniform(-c_spread, c_spread)),
                    longitude=_coordinate(s_lon + rng.uniform(-c_spread, c_spread)),
                    short_zh=name_zh,
                    short_en=name_en,
                )
                grids = GRIDDED_COMMUNITIES.get(c_code, 0)
                for g_index in range(1, grids + 1):
                    community.children.append(
                        AreaSpec(
                            code=f"{c_code}G{g_index:02d}",
                            name_zh=f"{full_zh}第{'一二三四五六七八九'[g_index - 1]}网格",
                            name_en=f"{full_en} Grid {g_index}",
                            kind="grid",
                            population=population // grids,
                            households=households // grids,
                            latitude=_coordinate(float(community.latitude) + rng.uniform(-0.003, 0.003)),
                            longitude=_coordinate(float(community.longitude) + rng.uniform(-0.003, 0.003)),
                        )
                    )
                communities.append(community)
            streets.append(
                AreaSpec(
                    code=s_code,
                    name_zh=f"{word_zh}{suffix_zh}",
                    name_en=f"{word_en} {suffix_en}",
                    kind=area_kind,
                    population=sum(c.population for c in communities),
                    households=sum(c.households for c in communities),
                    latitude=_coordinate(s_lat),
                    longitude=_coordinate(s_lon),
                    children=communities,
                    short_zh=word_zh,
                    short_en=word_en,
                    street_kind=street_kind,
                )
            )
        districts.append(
            AreaSpec(
                code=d_code,
                name_zh=district["name_zh"],
                name_en=district["name_en"],
                kind=district["kind"],
                population=sum(s.population for s in streets),
                households=sum(s.households for s in streets),
                latitude=_coordinate(d_lat),
                longitude=_coordinate(d_lon),
                children=streets,
                short_zh=district["short_zh"],
                short_en=district["short_en"],
            )
        )
    city = AreaSpec(
        code=CITY["code"],
        name_zh=CITY["name_zh"],
        name_en=CITY["name_en"],
        kind="city",
        population=sum(d.population for d in districts),
        households=sum(d.households for d in districts),
        latitude=CITY["latitude"],
        longitude=CITY["longitude"],
        children=districts,
    )
    return AreaSpec(
        code=PROVINCE["code"],
        name_zh=PROVINCE["name_zh"],
        name_en=PROVINCE["name_en"],
        kind="province",
        population=PROVINCE["population"],
        households=PROVINCE["households"],
        latitude=PROVINCE["latitude"],
        longitude=PROVINCE["longitude"],
        children=[city],
    )


# --- units ------------------------------------------------------------------------------------------------

CITY_GOVERNMENT = {
    "key": "GOV",
    "kind": "government",
    "name_zh": "明湖市人民政府",
    "name_en": "Minghu Municipal People's Government",
    "address": "明湖市湖心区人民大道1号",
}

# The city's departments (key, kind, Chinese name, English name); each becomes unit "JC01-<key>".
DEPARTMENTS: list[tuple[str, str, str, str]] = [
    ("HOTLINE", "hotline_centre", "明湖市12345政务服务便民热线中心", "Minghu 12345 Government Service Hotline Centre"),
    ("PETITION", "petition_bureau", "明湖市信访局", "Minghu Letters and Visits Bureau"),
    (
        "CDI",
        "discipline",
        "中共明湖市纪律检查委员会　明湖市监察委员会",
        "Minghu Commission for Discipline Inspection and Supervisory Commission",
    ),
    ("HOUSING", "department", "明湖市住房和城乡建设局", "Minghu Housing and Urban-Rural Development Bureau"),
    ("URBAN", "department", "明湖市城市管理局", "Minghu Urban Management Bureau"),
    ("ECO", "department", "明湖市生态环境局", "Minghu Ecology and Environment Bureau"),
    ("TRANSPORT", "department", "明湖市交通运输局", "Minghu Transport Bureau"),
    ("POLICE", "department", "明湖市公安局", "Minghu Public Security Bureau"),
    ("MARKET", "department", "明湖市市场监督管理局", "Minghu Market Regulation Administration"),
    ("HRSS", "department", "明湖市人力资源和社会保障局", "Minghu Human Resources and Social Security Bureau"),
    ("CIVIL", "department", "明湖市民政局", "Minghu Civil Affairs Bureau"),
    ("EDU", "department", "明湖市教育局", "Minghu Education Bureau"),
    ("HEALTH", "department", "明湖市卫生健康委员会", "Minghu Health Commission"),
    ("NRP", "department", "明湖市自然资源和规划局", "Minghu Natural Resources and Planning Bureau"),
    ("WATER", "department", "明湖市水务局", "Minghu Water Affairs Bureau"),
    ("EMERGENCY", "department", "明湖市应急管理局", "Minghu Emergency Management Bureau"),
    ("AGRI", "department", "明湖市农业农村局", "Minghu Agriculture and Rural Affairs Bureau"),
    ("CULTURE", "department", "明湖市文化和旅游局", "Minghu Culture and Tourism Bureau"),
    ("COMMERCE", "department", "明湖市商务局", "Minghu Commerce Bureau"),
    ("FINANCE", "department", "明湖市财政局", "Minghu Finance Bureau"),
    ("JUSTICE", "department", "明湖市司法局", "Minghu Justice Bureau"),
    ("STATS", "department", "明湖市统计局", "Minghu Statistics Bureau"),
    ("VETERANS", "department", "明湖市退役军人事务局", "Minghu Veterans Affairs Bureau"),
    ("MEDSEC", "department", "明湖市医疗保障局", "Minghu Medical Security Bureau"),
    ("HPF", "department", "明湖市住房公积金管理中心", "Minghu Housing Provident Fund Management Centre"),
    ("DRC", "department", "明湖市发展和改革委员会", "Minghu Development and Reform Commission"),
    ("ECONIT", "department", "明湖市经济和信息化局", "Minghu Economy and Information Technology Bureau"),
    ("TAX", "department", "国家税务总局明湖市税务局", "Minghu Municipal Tax Service, State Taxation Administration"),
    ("SPORTS", "department", "明湖市体育局", "Minghu Sports Bureau"),
    ("FORESTRY", "department", "明湖市园林和林业局", "Minghu Landscaping and Forestry Bureau"),
    ("GOVSERV", "department", "明湖市政务服务和大数据管理局", "Minghu Government Services and Big Data Bureau"),
    ("SASAC", "department", "明湖市国有资产监督管理委员会", "Minghu State-owned Assets Supervision Commission"),
    ("EXPROP", "department", "明湖市房屋征收管理办公室", "Minghu Housing Expropriation Office"),
    ("POSTAL", "department", "明湖市邮政管理局", "Minghu Postal Administration"),
    ("DPF", "department", "明湖市残疾人联合会", "Minghu Disabled Persons' Federation"),
    (
        "MEDIATION",
        "mediation_committee",
        "明湖市矛盾纠纷多元化解中心",
        "Minghu Centre for Diversified Dispute Resolution",
    ),
    ("WATERCO", "enterprise", "明湖水务集团有限公司", "Minghu Water Group Co., Ltd."),
    ("POWERCO", "enterprise", "国网明湖供电公司", "State Grid Minghu Power Supply Company"),
    ("GASCO", "enterprise", "明湖燃气集团有限公司", "Minghu Gas Group Co., Ltd."),
    ("BUSCO", "enterprise", "明湖公交集团有限公司", "Minghu Public Transport Group Co., Ltd."),
]
UNIT_PHONES = {"HOTLINE": "12345"}

# District bureaus (key, Chinese template, English template, counties only). "{zh}"/"{en}" is the district's
# full name, "{short_zh}"/"{short_en}" its short name. Each becomes unit "<district code>-<key>".
DISTRICT_BUREAUS: list[tuple[str, str, str, bool]] = [
    ("URBAN", "{zh}城市管理执法局", "{en} Urban Management and Law Enforcement Bureau", False),
    ("HOUSING", "{zh}住房和城乡建设局", "{en} Housing and Urban-Rural Development Bureau", False),
    ("ECO", "明湖市生态环境局{short_zh}分局", "Minghu Ecology and Environment Bureau, {short_en} Branch", False),
    ("MARKET", "{zh}市场监督管理局", "{en} Market Regulation Bureau", False),
    ("HRSS", "{zh}人力资源和社会保障局", "{en} Human Resources and Social Security Bureau", False),
    ("CIVIL", "{zh}民政局", "{en} Civil Affairs Bureau", False),
    ("EDU", "{zh}教育局", "{en} Education Bureau", False),
    ("AGRI", "{zh}农业农村局", "{en} Agriculture and Rural Affairs Bureau", True),
]

# The streets (by position in their district) that have a people's mediation committee.
MEDIATION_STREET_INDEXES = {1}


def district_government_names(district: AreaSpec) -> tuple[str, str]:
    return f"{district.name_zh}人民政府", f"{district.name_en} People's Government"


def street_office_names(district: AreaSpec, street: AreaSpec) -> tuple[str, str]:
    _kind, _suffix_zh, _suffix_en, office_zh, office_en = STREET_KINDS[street.street_kind]
    return f"{district.name_zh}{street.short_zh}{office_zh}", f"{street.short_en} {office_en}, {district.name_en}"


def committee_names(community: AreaSpec) -> tuple[str, str, str]:
    """(Chinese name, English name, unit kind) of the community's residents' or village committee."""
    if community.kind == "village":
        return f"{community.name_zh}村民委员会", f"{community.name_en} Committee", "village_committee"
    return f"{community.name_zh}居民委员会", f"{community.name_en} Residents' Committee", "residents_committee"


# --- the category catalogue and the responsibility matrix ---------------------------------------------------
# A first-level entry: (Chinese, English, [second-level entries]).
# A second-level entry: (Chinese, English, lead department key, co-unit keys, district bureau key or None,
#   [third-level entries]). The lead and co-units make the city-wide rule; the district bureau key, when the
#   district has that bureau, makes one rule per district.
# A third-level entry: (Chinese, English) or (Chinese, English, LOCAL) for a matter the street office leads
#   in its street (a per-street rule), or (Chinese, English, VILLAGE) for one the township government leads
#   in townships only.

LOCAL = "street"
VILLAGE = "village"

# fmt: off
CATALOGUE: list[tuple[str, str, list[tuple]]] = [
    (
        "城市管理",
        "Urban management",
        [
            ("道路与桥梁", "Roads and bridges", "URBAN", ["TRANSPORT"], "URBAN", [
                ("路面破损坑洼", "Potholes and damaged road surface"),
                ("井盖缺失或损坏", "Missing or broken manhole covers"),
                ("桥梁设施损坏", "Damaged bridge facilities"),
            ]),
            ("路灯照明", "Street lighting", "URBAN", [], "URBAN", [
                ("路灯不亮", "Street light out"),
                ("路灯白天常亮", "Street light on in daytime"),
                ("灯杆倾斜或损坏", "Leaning or damaged lamp post"),
            ]),
            ("违法建设", "Illegal construction", "URBAN", ["NRP", "HOUSING"], "URBAN", [
                ("违章搭建", "Unauthorised structures"),
                ("楼顶违建", "Illegal rooftop buildings"),
                ("破坏房屋承重结构", "Damage to load-bearing walls"),
            ]),
            ("市容环境卫生", "City appearance and sanitation", "URBAN", [], "URBAN", [
                ("垃圾清运不及时", "Rubbish not collected"),
                ("公共厕所管理", "Public toilets"),
                ("垃圾分类", "Waste sorting"),
                ("道路清扫保洁", "Street cleaning"),
            ]),
            ("占道经营与户外广告", "Street trading and outdoor advertising", "URBAN", ["MARKET"], "URBAN", [
                ("流动摊贩", "Unlicensed street vendors"),
                ("店外占道经营", "Trading outside the shopfront"),
                ("户外广告招牌", "Outdoor advertising and signs"),
            ]),
            ("园林绿化", "Parks and greenery", "FORESTRY", ["URBAN"], "URBAN", [
                ("树木修剪", "Tree pruning"),
                ("绿地毁损", "Damage to green space"),
                ("公园设施", "Park facilities"),
            ]),
            ("市政设施", "Municipal facilities", "URBAN", ["WATER"], "URBAN", [
                ("排水管道堵塞", "Blocked drains"),
                ("道路积水", "Flooded roads"),
                ("公共设施损坏", "Damaged public facilities"),
            ]),
        ],
    ),
    (
        "住房与城乡建设",
        "Housing and urban-rural development",
        [
            ("物业管理", "Property management", "HOUSING", [], "HOUSING", [
                ("物业服务质量", "Quality of property services"),
                ("物业收费", "Property service charges"),
                ("电梯故障", "Lift breakdowns"),
                ("业主委员会", "Owners' committees", LOCAL),
            ]),
            ("房屋征收与补偿", "Expropriation and compensation", "EXPROP", ["NRP"], None, [
                ("补偿标准", "Compensation standards"),
                ("安置房", "Resettlement housing"),
                ("强制拆除", "Forced demolition"),
            ]),
            ("房屋租赁", "Housing rental", "HOUSING", ["POLICE"], "HOUSING", [
                ("租金纠纷", "Rent disputes"),
                ("押金退还", "Deposit refunds"),
                ("群租房", "Overcrowded rental flats"),
            ]),
            ("商品房交易", "Property sales", "HOUSING", ["NRP"], None, [
                ("逾期交房", "Late handover of new homes"),
                ("不动产权证办理", "Property title certificates"),
                ("房屋质量问题", "Building defects"),
            ]),
            ("住房保障", "Housing support", "HOUSING", [], "HOUSING", [
                ("公租房申请", "Public rental housing applications"),
                ("保障房分配", "Allocation of subsidised housing"),
                ("老旧小区改造", "Renovation of old residential compounds"),
            ]),
            ("建筑施工", "Construction sites", "HOUSING", ["ECO"], "HOUSING", [
                ("夜间施工", "Night-time construction"),
                ("工地扬尘", "Construction dust"),
                ("施工安全", "Construction safety"),
            ]),
            ("住房公积金", "Housing provident fund", "HPF", [], None, [
                ("公积金提取", "Withdrawals"),
                ("公积金贷款", "Provident fund loans"),
                ("单位未缴存", "Employer not contributing"),
            ]),
        ],
    ),
    (
        "生态环境",
        "Ecology and environment",
        [
            ("噪声污染", "Noise", "ECO", ["POLICE", "URBAN"], "ECO", [
                ("社会生活噪声", "Neighbourhood noise"),
                ("商业经营噪声", "Noise from businesses"),
                ("交通噪声", "Traffic noise"),
            ]),
            ("大气污染", "Air pollution", "ECO", ["URBAN"], "ECO", [
                ("工业废气", "Industrial emissions"),
                ("餐饮油烟", "Restaurant cooking fumes"),
                ("露天焚烧", "Open burning"),
            ]),
            ("水污染", "Water pollution", "ECO", ["WATER"], "ECO", [
                ("河湖污染", "Polluted rivers and lakes"),
                ("污水直排", "Untreated sewage discharge"),
                ("黑臭水体", "Black and malodorous water"),
            ]),
            ("固体废物", "Solid waste", "ECO", ["URBAN"], "ECO", [
                ("建筑垃圾倾倒", "Dumped construction waste"),
                ("危险废物", "Hazardous waste"),
                ("工业固体废物", "Industrial solid waste"),
            ]),
            ("生态保护", "Ecological protection", "ECO", ["NRP", "FORESTRY"], None, [
                ("湖泊保护", "Lake protection"),
                ("非法采砂", "Illegal sand mining"),
                ("野生动物保护", "Wildlife protection"),
            ]),
        ],
    ),
    (
        "交通运输",
        "Transport",
        [
            ("公共交通", "Public transport", "TRANSPORT", ["BUSCO"], None, [
                ("公交线路", "Bus routes"),
                ("公交服务", "Bus service"),
                ("站点设置", "Stop locations"),
            ]),
            ("出租车与网约车", "Taxis and ride-hailing", "TRANSPORT", [], None, [
                ("拒载绕路", "Refusals and detours"),
                ("违规收费", "Overcharging"),
                ("驾驶员服务", "Driver conduct"),
            ]),
            ("道路交通设施", "Traffic facilities", "POLICE", ["TRANSPORT"], None, [
                ("交通信号灯", "Traffic signals"),
                ("交通标志标线", "Signs and road markings"),
                ("停车设施", "Parking facilities"),
            ]),
            ("道路运输", "Road transport", "TRANSPORT", [], None, [
                ("货车超载", "Overloaded lorries"),
                ("客运班线", "Coach services"),
                ("驾校培训", "Driving schools"),
            ]),
        ],
    ),
    (
        "公共安全",
        "Public safety and security",
        [
            ("社会治安", "Public order", "POLICE", [], None, [
                ("治安隐患", "Public-order hazards"),
                ("盗窃诈骗", "Theft and fraud"),
                ("黄赌毒", "Prostitution, gambling and drugs"),
            ]),
            ("交通管理", "Traffic policing", "POLICE", [], None, [
                ("违法停车", "Illegal parking"),
                ("交通违法", "Traffic offences"),
                ("交通事故处理", "Traffic accidents"),
            ]),
            ("户籍证件", "Household registration and identity papers", "POLICE", [], None, [
                ("户口迁移", "Household registration transfers"),
                ("身份证办理", "Identity cards"),
                ("居住证", "Residence permits"),
            ]),
            ("安全生产", "Work safety", "EMERGENCY", ["MARKET"], None, [
                ("消防隐患", "Fire hazards"),
                ("燃气使用安全", "Gas safety"),
                ("企业安全隐患", "Workplace safety hazards"),
            ]),
        ],
    ),
    (
        "市场监管",
        "Market regulation",
        [
            ("食品安全", "Food safety", "MARKET", ["HEALTH"], "MARKET", [
                ("餐饮卫生", "Restaurant hygiene"),
                ("过期变质食品", "Expired or spoiled food"),
                ("无证经营", "Unlicensed food businesses"),
            ]),
            ("消费纠纷", "Consumer disputes", "MARKET", [], "MARKET", [
                ("预付卡退费", "Prepaid card refunds"),
                ("商品质量", "Product quality"),
                ("售后服务", "After-sales service"),
            ]),
            ("价格监管", "Pricing", "MARKET", ["DRC"], "MARKET", [
                ("价格欺诈", "Price fraud"),
                ("明码标价", "Price labelling"),
                ("违规收费", "Unlawful charges"),
            ]),
            ("药品与医疗器械", "Medicines and medical devices", "MARKET", ["HEALTH"], None, [
                ("药品质量", "Quality of medicines"),
                ("药店经营", "Pharmacy practices"),
                ("医疗器械", "Medical devices"),
            ]),
            ("特种设备", "Special equipment", "MARKET", [], "MARKET", [
                ("电梯安全检验", "Lift safety inspections"),
                ("锅炉压力容器", "Boilers and pressure vessels"),
                ("游乐设施", "Amusement rides"),
            ]),
            ("文化旅游市场", "Culture and tourism market", "CULTURE", ["MARKET"], None, [
                ("旅游投诉", "Complaints about tours"),
                ("景区管理", "Scenic area management"),
                ("文化娱乐场所", "Entertainment venues"),
            ]),
        ],
    ),
    (
        "劳动与社会保障",
        "Labour and social security",
        [
            ("拖欠工资", "Unpaid wages", "HRSS", ["HOUSING"], "HRSS", [
                ("农民工工资", "Migrant workers' wages"),
                ("企业欠薪", "Wage arrears"),
                ("加班费", "Overtime pay"),
            ]),
            ("劳动关系", "Labour relations", "HRSS", ["JUSTICE"], "HRSS", [
                ("劳动合同", "Employment contracts"),
                ("违法解除劳动合同", "Unlawful dismissal"),
                ("工伤认定", "Work injury recognition"),
            ]),
            ("养老保险", "Pension insurance", "HRSS", [], "HRSS", [
                ("养老金发放", "Pension payments"),
                ("退休手续", "Retirement procedures"),
                ("城乡居民养老保险", "Residents' pension insurance"),
            ]),
            ("医疗保险", "Medical insurance", "MEDSEC", [], None, [
                ("医保报销", "Reimbursements"),
                ("参保缴费", "Enrolment and contributions"),
                ("异地就医", "Treatment in another city"),
            ]),
            ("就业创业", "Employment and entrepreneurship", "HRSS", [], "HRSS", [
                ("就业服务", "Employment services"),
                ("职业技能培训", "Vocational training"),
                ("创业补贴", "Start-up subsidies"),
            ]),
        ],
    ),
    (
        "教育",
        "Education",
        [
            ("入学招生", "School admissions", "EDU", [], "EDU", [
                ("学区划分", "School catchment areas"),
                ("入学条件", "Enrolment requirements"),
                ("随迁子女入学", "Schooling for migrant children"),
            ]),
            ("教育收费", "School charges", "EDU", ["MARKET"], "EDU", [
                ("学校违规收费", "Unlawful school charges"),
                ("校外培训", "Off-campus tutoring"),
                ("校服与餐费", "Uniforms and meal fees"),
            ]),
            ("学校管理", "School management", "EDU", [], "EDU", [
                ("校园安全", "Campus safety"),
                ("师德师风", "Teachers' conduct"),
                ("学生课业负担", "Student workload"),
            ]),
            ("学前教育", "Preschool education", "EDU", [], "EDU", [
                ("幼儿园学位", "Kindergarten places"),
                ("普惠性幼儿园", "Affordable kindergartens"),
                ("托育服务", "Childcare services"),
            ]),
        ],
    ),
    (
        "卫生健康",
        "Health",
        [
            ("医疗服务", "Medical services", "HEALTH", ["MEDSEC"], None, [
                ("就医难", "Access to treatment"),
                ("医疗纠纷", "Medical disputes"),
                ("医德医风", "Medical ethics"),
            ]),
            ("公共卫生", "Public health", "HEALTH", [], None, [
                ("疫苗接种", "Vaccination"),
                ("传染病防控", "Infectious disease control"),
                ("病媒生物防制", "Pest and vector control"),
            ]),
            ("基层医疗", "Primary care", "HEALTH", [], None, [
                ("社区卫生服务", "Community health services"),
                ("家庭医生签约", "Family doctor contracts"),
                ("村卫生室", "Village clinics"),
            ]),
        ],
    ),
    (
        "民政与社会服务",
        "Civil affairs and social services",
        [
            ("社会救助", "Social assistance", "CIVIL", [], "CIVIL", [
                ("最低生活保障", "Minimum living allowance"),
                ("特困人员供养", "Support for people in extreme poverty"),
                ("临时救助", "Temporary assistance"),
            ]),
            ("养老服务", "Elderly care", "CIVIL", ["HEALTH"], "CIVIL", [
                ("养老机构", "Care homes"),
                ("居家养老服务", "Home-based elderly care"),
                ("高龄津贴", "Old-age allowance"),
            ]),
            ("社区事务", "Community affairs", "CIVIL", [], "CIVIL", [
                ("邻里纠纷", "Neighbour disputes", LOCAL),
                ("社区公共设施", "Community facilities", LOCAL),
                ("社区服务", "Community services", LOCAL),
            ]),
            ("婚姻与殡葬", "Marriage and funerals", "CIVIL", [], "CIVIL", [
                ("婚姻登记", "Marriage registration"),
                ("殡葬服务", "Funeral services"),
                ("公墓管理", "Cemeteries"),
            ]),
            ("退役军人与残疾人", "Veterans and people with disabilities", "VETERANS", ["DPF"], None, [
                ("退役军人安置", "Veterans' resettlement"),
                ("优抚待遇", "Entitlements of veterans' families"),
                ("残疾人帮扶", "Support for people with disabilities"),
            ]),
        ],
    ),
    (
        "农业农村",
        "Agriculture and rural affairs",
        [
            ("土地承包经营", "Rural land contracting", "AGRI", ["NRP"], "AGRI", [
                ("土地流转", "Land transfers"),
                ("承包合同纠纷", "Contract disputes"),
                ("宅基地", "Rural homesteads"),
            ]),
            ("惠农补贴", "Farm subsidies", "AGRI", ["FINANCE"], "AGRI", [
                ("种粮补贴", "Grain subsidies"),
                ("农机购置补贴", "Farm machinery subsidies"),
                ("补贴发放不到位", "Subsidies not received"),
            ]),
            ("村务管理", "Village affairs", "AGRI", ["CIVIL"], "AGRI", [
                ("村务公开", "Openness of village affairs", VILLAGE),
                ("集体资产管理", "Collective assets", VILLAGE),
                ("村级选举", "Village elections", VILLAGE),
            ]),
            ("农村基础设施", "Rural infrastructure", "AGRI", ["TRANSPORT", "WATER"], "AGRI", [
                ("农村道路", "Rural roads"),
                ("农村饮水", "Rural drinking water"),
                ("农田水利", "Irrigation"),
            ]),
            ("农资与动物防疫", "Farm inputs and animal health", "AGRI", ["MARKET"], "AGRI", [
                ("假冒伪劣农资", "Counterfeit farm inputs"),
                ("动物疫病", "Animal diseases"),
                ("病死畜禽处理", "Disposal of dead livestock"),
            ]),
        ],
    ),
    (
        "公用事业",
        "Public utilities",
        [
            ("供水", "Water supply", "WATERCO", ["WATER"], None, [
                ("停水", "Water outages"),
                ("水压不足", "Low water pressure"),
                ("水质问题", "Water quality"),
                ("水费", "Water bills"),
            ]),
            ("供电", "Power supply", "POWERCO", ["DRC"], None, [
                ("停电", "Power cuts"),
                ("电压不稳", "Unstable voltage"),
                ("电费", "Electricity bills"),
            ]),
            ("燃气", "Gas supply", "GASCO", ["HOUSING"], None, [
                ("停气", "Gas outages"),
                ("燃气开户安装", "Gas connections"),
                ("燃气费", "Gas bills"),
            ]),
            ("通信与邮政", "Telecommunications and post", "ECONIT", ["POSTAL"], None, [
                ("手机信号", "Mobile signal"),
                ("宽带网络", "Broadband"),
                ("快递服务", "Parcel delivery"),
            ]),
        ],
    ),
    (
        "政务服务",
        "Government services",
        [
            ("办事服务", "Public services", "GOVSERV", [], None, [
                ("办事效率", "Slow processing"),
                ("政策咨询", "Policy enquiries"),
                ("证照办理", "Licences and certificates"),
            ]),
            ("工作作风", "Conduct of officials", "CDI", ["PETITION"], None, [
                ("推诿扯皮", "Buck-passing"),
                ("服务态度", "Rude or unhelpful staff"),
                ("不作为慢作为", "Inaction and delay"),
            ]),
            ("热线服务", "Hotline service", "HOTLINE", [], None, [
                ("表扬", "Praise"),
                ("意见建议", "Suggestions"),
                ("热线服务评价", "Comments on the hotline"),
            ]),
        ],
    ),
    (
        "其他",
        "Other",
        [
            ("其他事项", "Other matters", "HOTLINE", [], None, [
                ("其他咨询", "Other enquiries"),
                ("其他投诉", "Other complaints"),
                ("其他建议", "Other suggestions"),
            ]),
        ],
    ),
]
# fmt: on


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name_zh: str
    name_en: str
    parent_code: str | None
    lead: str | None = None  # second level: the city-wide lead department key
    co_units: tuple[str, ...] = ()
    district_bureau: str | None = None
    local: str | None = None  # third level: LOCAL or VILLAGE


def categories() -> list[CategorySpec]:
    """The catalogue in tree order, with codes "C01", "C0101", "C010101"."""
    result: list[CategorySpec] = []
    for i, (zh1, en1, seconds) in enumerate(CATALOGUE, start=1):
        code1 = f"C{i:02d}"
        result.append(CategorySpec(code=code1, name_zh=zh1, name_en=en1, parent_code=None))
        for j, (zh2, en2, lead, co_units, bureau, thirds) in enumerate(seconds, start=1):
            code2 = f"{code1}{j:02d}"
            result.append(
                CategorySpec(
                    code=code2,
                    name_zh=zh2,
                    name_en=en2,
                    parent_code=code1,
                    lead=lead,
                    co_units=tuple(co_units),
                    district_bureau=bureau,
                )
            )
            for k, third in enumerate(thirds, start=1):
                zh3, en3 = third[0], third[1]
                local = third[2] if len(third) > 2 else None
                result.append(
                    CategorySpec(code=f"{code2}{k:02d}", name_zh=zh3, name_en=en3, parent_code=code2, local=local)
                )
    return result


def unit_code(area_code: str, key: str) -> str:
    """The code of a unit keyed ``key`` in the area ``area_code`` (for example "JC01-URBAN")."""
    return f"{area_code}-{key}"
