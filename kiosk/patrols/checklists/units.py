"""Vacant units (P3 inspection, P4 monthly cleaning), commercial outlets (P5) and restaurant hygiene."""

from kiosk.models.patrols import AnswerKind
from kiosk.models.patrols import CheckpointKind as K
from kiosk.patrols.checklists._common import CLEAN, CS, SEC, F
from kiosk.patrols.templates import ItemData as I
from kiosk.patrols.templates import SectionData as S

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
