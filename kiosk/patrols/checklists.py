"""The checklists of the rules, in both languages: data for seeding a site's templates.

Public-area patrol: the areas of P1, the standards A-H of P2; vacant-unit inspection
A-E (P3); vacant-unit monthly cleaning (P4); commercial outlets monthly (P5); restaurant
hygiene, garbage room and waste sorting, and the contractors' quarterly septic-tank and
grease-trap cleaning, signed off on completion (P8). Wording follows the source documents.
"""

from kiosk.models import DepartmentKind as D
from kiosk.models.patrols import AnswerKind
from kiosk.models.patrols import CheckpointKind as K
from kiosk.patrols.templates import ItemData as I
from kiosk.patrols.templates import SectionData as S

ENG, CLEAN, SEC, CS = D.ENGINEERING, D.CLEANING, D.SECURITY, D.CUSTOMER_SERVICE


def F(text_zh, text_en, fail_zh, fail_en, **kw) -> I:
    """An item with its finding when it fails (a rectification task's title, P7)."""
    return I(text_zh, text_en, fail_zh=fail_zh, fail_en=fail_en, **kw)


# P1/P2 by kind of place, the standards in their order A-H; outdoors and in the garbage
# room only what applies there.
PUBLIC_AREA = dict(
    code="public_area",
    rule="P2",
    name_zh="公共区域巡查",
    name_en="Public-area patrol",
    checkpoint_kinds=[K.LOBBY, K.STAIRWELL, K.ROOF, K.LIFT, K.GARBAGE_ROOM, K.PERIMETER],
    sections=[
        S(
            "大堂",
            "Lobby",
            [
                F(
                    "大堂卫生良好",
                    "Lobby clean and tidy",
                    "大堂卫生不合格",
                    "Lobby not clean",
                    standard="A",
                    department=CLEAN,
                    deadline_days=1,
                ),
                F("照明正常", "Lighting works", "照明故障", "Lighting faulty", standard="B", deadline_days=1),
                F(
                    "门窗无损坏，开启正常",
                    "Doors and windows intact and working",
                    "门窗损坏或开启异常",
                    "Doors or windows damaged or not working",
                    standard="D",
                ),
                F(
                    "单元门开启正常",
                    "Entrance door works",
                    "单元门开启异常",
                    "Entrance door not working",
                    standard="E",
                    deadline_days=1,
                ),
                F(
                    "无异味、无可疑人员、无异常声音",
                    "No odour, no suspicious persons, no abnormal noise",
                    "有异味、可疑人员或异常声音",
                    "Odour, suspicious persons or abnormal noise",
                    standard="G",
                    department=SEC,
                    deadline_days=1,
                ),
                F(
                    "其他附属设备设施外观完好",
                    "Other fixtures intact",
                    "附属设施损坏",
                    "Fixtures damaged",
                    standard="H",
                ),
            ],
            checkpoint_kind=K.LOBBY,
        ),
        S(
            "楼道",
            "Stairwell",
            [
                F(
                    "楼内卫生良好",
                    "Clean and tidy",
                    "楼内卫生不合格",
                    "Not clean",
                    standard="A",
                    department=CLEAN,
                    deadline_days=1,
                ),
                F("照明正常", "Lighting works", "照明故障", "Lighting faulty", standard="B", deadline_days=1),
                F(
                    "楼梯、扶手、墙面无破损",
                    "Stairs, handrails and walls undamaged",
                    "楼梯、扶手或墙面破损",
                    "Stairs, handrails or walls damaged",
                    standard="C",
                ),
                F(
                    "楼道内门窗无损坏，开启正常",
                    "Corridor doors and windows intact and working",
                    "楼道门窗损坏或开启异常",
                    "Corridor doors or windows damaged or not working",
                    standard="D",
                ),
                F(
                    "管井正常关闭，井内设备运行无异常，无垃圾堆放",
                    "Pipe shafts closed, equipment normal, no rubbish inside",
                    "管井未关闭、设备异常或有垃圾",
                    "Pipe shaft open, equipment abnormal or rubbish inside",
                    standard="F",
                ),
                F(
                    "无异味、无可疑人员、无异常声音",
                    "No odour, no suspicious persons, no abnormal noise",
                    "有异味、可疑人员或异常声音",
                    "Odour, suspicious persons or abnormal noise",
                    standard="G",
                    department=SEC,
                    deadline_days=1,
                ),
                F(
                    "其他附属设备设施外观完好",
                    "Other fixtures intact",
                    "附属设施损坏",
                    "Fixtures damaged",
                    standard="H",
                ),
            ],
            checkpoint_kind=K.STAIRWELL,
        ),
        S(
            "消防设施",
            "Fire safety",
            [
                F(
                    "灭火器压力表读数",
                    "Fire extinguisher pressure gauge",
                    "灭火器压力异常",
                    "Fire extinguisher pressure out of range",
                    kind=AnswerKind.NUMBER,
                    min_value=1.0,
                    max_value=1.4,
                    unit="MPa",
                    deadline_days=1,
                ),
                F(
                    "消防通道畅通，无杂物堆放",
                    "Fire exit clear of obstructions",
                    "消防通道堵塞",
                    "Fire exit obstructed",
                    department=SEC,
                    deadline_days=1,
                ),
            ],
            checkpoint_kind=K.STAIRWELL,
        ),
        S(
            "电梯",
            "Lifts",
            [
                F(
                    "电梯运行平稳，应急电话可接通",
                    "Lift runs smoothly; emergency phone answers",
                    "电梯运行异常或应急电话不通",
                    "Lift not running smoothly or emergency phone dead",
                    deadline_days=1,
                ),
                F(
                    "轿厢清洁，无张贴物",
                    "Car clean, no posters",
                    "轿厢不洁或有张贴物",
                    "Car dirty or posters inside",
                    department=CLEAN,
                    deadline_days=1,
                ),
                F("照明正常", "Lighting works", "照明故障", "Lighting faulty", standard="B", deadline_days=1),
            ],
            checkpoint_kind=K.LIFT,
        ),
        S(
            "天台",
            "Roof",
            [
                F(
                    "天台门按规定上锁",
                    "Roof door locked as required",
                    "天台门未上锁",
                    "Roof door not locked",
                    department=SEC,
                    deadline_days=1,
                ),
                F(
                    "无积水、无杂物，排水口畅通",
                    "No standing water or debris; drains clear",
                    "天台积水、有杂物或排水口堵塞",
                    "Standing water, debris or blocked drains",
                ),
            ],
            checkpoint_kind=K.ROOF,
        ),
        S(
            "垃圾房",
            "Garbage room",
            [
                F(
                    "垃圾房清洁，垃圾桶无满溢",
                    "Garbage room clean, bins not overflowing",
                    "垃圾房不洁或垃圾满溢",
                    "Garbage room dirty or bins overflowing",
                    standard="A",
                    department=CLEAN,
                    deadline_days=1,
                ),
                F("照明正常", "Lighting works", "照明故障", "Lighting faulty", standard="B", deadline_days=1),
                F(
                    "无明显异味，无可疑人员",
                    "No strong odour, no suspicious persons",
                    "有明显异味或可疑人员",
                    "Strong odour or suspicious persons",
                    standard="G",
                    department=SEC,
                    deadline_days=1,
                ),
            ],
            checkpoint_kind=K.GARBAGE_ROOM,
        ),
        S(
            "小区外围",
            "Perimeter",
            [
                F(
                    "道路、绿地整洁，无乱堆乱放",
                    "Roads and green areas tidy, nothing dumped",
                    "外围道路或绿地有杂物",
                    "Rubbish dumped on roads or green areas",
                    standard="A",
                    department=CLEAN,
                    deadline_days=1,
                ),
                F(
                    "路灯照明正常",
                    "Street lights work",
                    "路灯故障",
                    "Street light faulty",
                    standard="B",
                    deadline_days=1,
                ),
                F(
                    "无可疑人员，无违停车辆",
                    "No suspicious persons, no illegally parked vehicles",
                    "有可疑人员或违停车辆",
                    "Suspicious persons or illegally parked vehicles",
                    standard="G",
                    department=SEC,
                    deadline_days=1,
                ),
                F(
                    "围墙、护栏、大门完好",
                    "Walls, fences and gates intact",
                    "围墙、护栏或大门损坏",
                    "Wall, fence or gate damaged",
                    standard="H",
                ),
            ],
            checkpoint_kind=K.PERIMETER,
        ),
    ],
)

VACANT_UNIT = dict(
    code="vacant_unit",
    rule="P3",
    name_zh="空置房巡视",
    name_en="Vacant-unit inspection",
    checkpoint_kinds=[K.VACANT_UNIT],
    sections=[
        S(
            "房屋巡视标准",
            "Inspection standards",
            [
                F("房屋装修完好", "Finishes intact", "房屋装修损坏", "Finishes damaged", standard="A"),
                F(
                    "房屋内各种设备设施完好",
                    "Fixtures and equipment intact",
                    "室内设备设施损坏",
                    "Fixtures or equipment damaged",
                    standard="B",
                ),
                F(
                    "门窗关闭，无开启、无破损",
                    "Doors and windows closed and undamaged",
                    "门窗未关或破损",
                    "Doors or windows open or damaged",
                    standard="C",
                    deadline_days=1,
                ),
                F(
                    "房屋内外清洁干净",
                    "Clean inside and out",
                    "房屋内外卫生不合格",
                    "Not clean inside or out",
                    standard="D",
                    department=CLEAN,
                ),
                F(
                    "门锁可正常开启、锁闭",
                    "Locks open and close",
                    "门锁开启或锁闭异常",
                    "Lock does not open or close",
                    standard="E",
                    deadline_days=1,
                ),
            ],
        ),
        S(
            "记录",
            "Record",
            [
                I(
                    "室内现状照片",
                    "Photo of the interior",
                    kind=AnswerKind.PHOTO,
                    department=CS,
                    requires_note=False,
                    requires_photo=False,
                ),
            ],
        ),
    ],
)

VACANT_CLEANING = dict(
    code="vacant_cleaning",
    rule="P4",
    name_zh="空置单元清洁检查",
    name_en="Vacant-unit cleaning check",
    checkpoint_kinds=[K.VACANT_UNIT],
    sections=[
        S(
            "清洁标准",
            "Cleaning standards",
            [
                I("地面无杂物、无积水", "Floor free of debris and water", department=CLEAN),
                I("墙面无污染、无蜘蛛网", "Walls free of stains and cobwebs", department=CLEAN),
                I("室内所有设备无污染", "Fixtures clean", department=CLEAN),
                I("打扫完毕门窗已关好", "Doors and windows closed afterwards", department=CLEAN, deadline_days=1),
            ],
        ),
    ],
)

OUTLET = dict(
    code="outlet",
    rule="P5",
    name_zh="商业网点月度检查",
    name_en="Commercial outlet monthly check",
    checkpoint_kinds=[K.OUTLET],
    sections=[
        S(
            "经营秩序",
            "Order",
            [
                I("经营秩序良好", "Orderly", department=CS),
                I("无乱设摊点", "No unauthorised stalls", department=SEC),
                I("无违规广告牌", "No unauthorised billboards", department=CS),
                I("无乱贴、乱画", "No posters or graffiti", department=CLEAN),
                I("无违规饲养家禽、家畜、宠物", "No prohibited poultry, livestock or pets", department=CS),
            ],
        ),
    ],
)

RESTAURANT = dict(
    code="restaurant",
    rule="P8",
    name_zh="餐厅卫生检查",
    name_en="Restaurant hygiene check",
    checkpoint_kinds=[K.RESTAURANT],
    sections=[
        S(
            "卫生与消毒",
            "Hygiene and disinfection",
            [
                I(
                    "餐具高温消毒，生熟分开",
                    "Tableware heat-disinfected; raw and cooked kept apart",
                    department=CS,
                    deadline_days=1,
                ),
                I("分餐间清洁无污物", "Serving room clean", department=CS, deadline_days=1),
                I("就餐区餐桌及环境清洁无杂物", "Dining tables and area clean", department=CS, deadline_days=1),
                I("剩饭及垃圾及时清运", "Leftovers and rubbish removed promptly", department=CLEAN, deadline_days=1),
                I("防鼠及防蚊蝇蟑措施到位", "Rodent and insect control in place", department=CS),
                I(
                    "餐厅外围及步梯清洁，扶手无尘土，步梯无油污",
                    "Surroundings and stairs clean; no dust on handrails, no grease on steps",
                    department=CLEAN,
                ),
                I("员工健康证齐全有效", "Staff health certificates on file and valid", department=CS),
            ],
        ),
    ],
)

GARBAGE_ROOM = dict(
    code="garbage_room",
    rule="P8",
    name_zh="垃圾房及垃圾分类检查",
    name_en="Garbage room and waste sorting check",
    checkpoint_kinds=[K.GARBAGE_ROOM],
    sections=[
        S(
            "垃圾房管理",
            "Garbage room rules",
            [
                I("垃圾按规定时间清运", "Rubbish removed at the set times", department=CLEAN, deadline_days=1),
                I(
                    "无易燃、易爆、腐蚀性等危险品",
                    "No flammable, explosive or corrosive goods",
                    department=SEC,
                    deadline_days=1,
                ),
                I("无吸烟、酗酒及使用明火", "No smoking, drinking or open flames", department=SEC, deadline_days=1),
                I("无人员留宿", "Nobody sleeping there", department=SEC, deadline_days=1),
                I("设施设备无损坏", "Facilities undamaged"),
            ],
        ),
        S(
            "垃圾分类",
            "Waste sorting",
            [
                I(
                    "可回收、不可回收分类容器齐全",
                    "Recyclable and non-recyclable containers in place",
                    department=CLEAN,
                ),
                I("设有废旧电池回收箱", "Used-battery box in place", department=CLEAN),
                I("垃圾按分类投放，无混装", "Waste sorted, not mixed", department=CLEAN),
            ],
        ),
    ],
)

# P8: a contractor cleans the septic tanks and the grease traps each quarter; the officer
# watches the work and signs it off with the contractor's foreman.
CONTRACTOR_CLEANING = dict(
    code="contractor_cleaning",
    rule="P8",
    name_zh="化粪池及隔油池清掏验收",
    name_en="Septic tank and grease trap cleaning sign-off",
    checkpoint_kinds=[K.OTHER],
    sections=[
        S(
            "作业安全",
            "Safety during the work",
            [
                I(
                    "承包单位资质及作业人员证件已核验",
                    "Contractor's licence and workers' papers checked",
                    department=CS,
                ),
                I(
                    "开盖后先通风并检测有害气体，严禁明火",
                    "Ventilated and gas-tested after opening; no open flames",
                    department=SEC,
                    deadline_days=1,
                ),
                I(
                    "作业区设警示围挡，有专人监护",
                    "Work area fenced with warning signs, a guard on watch",
                    department=SEC,
                    deadline_days=1,
                ),
            ],
        ),
        S(
            "清掏质量",
            "Cleaning",
            [
                I("池内沉渣、浮渣、油污清掏干净", "Sludge, scum and grease removed", deadline_days=7),
                I(
                    "清掏量",
                    "Volume removed",
                    kind=AnswerKind.NUMBER,
                    min_value=0.5,
                    unit="m³",
                    department=CS,
                    deadline_days=7,
                ),
                I(
                    "污物密闭清运，沿途无滴漏",
                    "Waste carried away sealed, nothing spilled on the way",
                    department=CLEAN,
                    deadline_days=1,
                ),
                I(
                    "现场及周边冲洗干净，无异味",
                    "Site and surroundings washed down, no odour",
                    department=CLEAN,
                    deadline_days=1,
                ),
                I("井盖复位盖严，无破损", "Covers back in place, closed and undamaged", deadline_days=1),
            ],
        ),
        S(
            "完工验收",
            "Sign-off on completion",
            [
                I(
                    "完工现场照片",
                    "Photo of the finished work",
                    kind=AnswerKind.PHOTO,
                    department=CS,
                    requires_note=False,
                    requires_photo=False,
                ),
                I(
                    "承包单位现场负责人签字（姓名）",
                    "Contractor's foreman signs off (name)",
                    kind=AnswerKind.TEXT,
                    department=CS,
                    requires_note=False,
                    requires_photo=False,
                ),
                I(
                    "作业单或收费单据编号",
                    "Job sheet or receipt number",
                    kind=AnswerKind.TEXT,
                    department=CS,
                    requires_note=False,
                    requires_photo=False,
                ),
            ],
        ),
    ],
)

TEMPLATES = [PUBLIC_AREA, VACANT_UNIT, VACANT_CLEANING, OUTLET, RESTAURANT, GARBAGE_ROOM, CONTRACTOR_CLEANING]
