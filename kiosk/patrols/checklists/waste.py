"""The garbage room and waste sorting, and the contractors' quarterly septic-tank and grease-trap
cleaning signed off on completion (P8)."""

from kiosk.models.patrols import AnswerKind
from kiosk.models.patrols import CheckpointKind as K
from kiosk.patrols.checklists._common import CLEAN, CS, SEC
from kiosk.patrols.templates import ItemData as I
from kiosk.patrols.templates import SectionData as S

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
