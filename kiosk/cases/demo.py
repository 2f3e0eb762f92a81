"""Demo history for the cases area: three weeks of calls, visits and letters at the front
desk, routed and followed as they would have been (called from kiosk.demo.seed).
Deterministic for a given random generator; computed from now."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from kiosk.cases import complaints, demo_history, demo_surveys, demo_work, intake, orders
from kiosk.extensions import db
from kiosk.models import Department, DepartmentKind, Household, Role, User
from kiosk.models.case_complaints import ComplaintCategory, Grade
from kiosk.models.case_orders import RepairCategory
from kiosk.models.cases import Channel, Confirmation, Importance, IntakeClass, Satisfaction
from kiosk.timeutil import utcnow

DAYS = 21
REPAIRS = [
    ("卫生间地漏返水，请尽快派人查看", RepairCategory.PLUMBING),
    ("厨房水龙头关不紧，一直滴水", RepairCategory.PLUMBING),
    ("客厅插座没电，空开跳闸合不上", RepairCategory.ELECTRICAL),
    ("入户门锁芯卡住，钥匙拧不动", RepairCategory.DOOR_WINDOW),
    ("阳台推拉窗滑轮坏了", RepairCategory.DOOR_WINDOW),
    ("楼道声控灯不亮（本层）", RepairCategory.PUBLIC_AREA),
    ("热水器不点火", RepairCategory.APPLIANCE),
    ("单元门禁刷卡无反应", RepairCategory.PUBLIC_AREA),
]
COMPLAINTS = {  # what it says -> the category the supervisor gives it (C5)
    "楼上装修每天早上七点开始施工，噪音太大": ComplaintCategory.NEIGHBOURS,
    "地下车库有车辆长期占用我的车位，多次反映无人处理": ComplaintCategory.SECURITY,
    "垃圾房清运不及时，夏天气味很大": ComplaintCategory.CLEANING,
    "保安夜间巡逻时大声喧哗": ComplaintCategory.SERVICE_ATTITUDE,
    "电梯多次困人，维保不到位": ComplaintCategory.FACILITIES,
}
INQUIRIES = [
    ("物业费缴费方式有哪些？", "可在服务中心前台、微信公众号或银行代扣缴纳。"),
    ("小区停水通知是哪天？", "本周六上午九点至十二点，已在各单元门口张贴。"),
    ("装修需要办理什么手续？", None),
]
ISSUES = [
    ("3栋2单元门口有积水", DepartmentKind.CLEANING),
    ("东门绿化带树枝遮挡路灯", DepartmentKind.LANDSCAPING),
    ("夜间有陌生人在地库徘徊", DepartmentKind.SECURITY),
]
SUGGESTIONS = ["建议在儿童游乐区增设遮阳棚", "建议增加快递柜", "希望周末延长服务中心开放时间"]
PRAISES = ["工程部孙师傅维修及时，态度很好", "前台林小姐耐心解答问题，非常感谢"]


def seed(site, rng) -> None:
    users = {u.role: u for u in db.session.scalars(sa.select(User).where(User.site_id == site.id).order_by(User.id))}
    reception, supervisor = users.get(Role.RECEPTIONIST), users.get(Role.SUPERVISOR)
    engineer, officer = users.get(Role.DEPARTMENT), users.get(Role.OFFICER)
    if not (reception and supervisor and engineer and officer):
        return
    departments = {d.kind: d for d in db.session.scalars(sa.select(Department).where(Department.site_id == site.id))}
    households = list(
        db.session.scalars(sa.select(Household).where(Household.site_id == site.id).order_by(Household.id))
    )
    zone, now = ZoneInfo(site.timezone), utcnow()
    today = now.astimezone(zone).date()
    if users.get(Role.MANAGER):
        _price_list(site, users[Role.MANAGER], now - timedelta(days=DAYS + 1))
    demo_history.seed(  # the quarters before: the quarterly analysis's figures and trend (C5)
        site,
        rng,
        reception=reception,
        supervisor=supervisor,
        officer=officer,
        departments=departments,
        households=households,
        signature=_demo_signature(site),
        before=datetime.combine(today - timedelta(days=DAYS), datetime.min.time(), zone).astimezone(ZoneInfo("UTC")),
    )
    for back in range(DAYS, -1, -1):
        day = today - timedelta(days=back)
        for _ in range(rng.randint(3, 7)):
            at = datetime.combine(day, datetime.min.time(), zone) + timedelta(minutes=rng.randint(8 * 60 + 30, 19 * 60))
            at = at.astimezone(ZoneInfo("UTC"))
            if at > now - timedelta(minutes=10):
                continue
            _one_call(site, rng, at, now, back, households, departments, reception, supervisor, engineer, officer)
    _coordination(site, zone, now, departments, supervisor, engineer)
    _visits(site, rng, zone, now, households, supervisor, officer)
    demo_surveys.seed(site, rng, zone=zone, now=now, users=users, departments=departments, households=households)
    db.session.flush()


PRICE_LIST = (  # 有偿维修收费标准 (C10): item, category, fee in cents, unit
    ("更换水龙头（不含材料）", RepairCategory.PLUMBING, 3000, "个"),
    ("疏通下水道", RepairCategory.PLUMBING, 5000, "次"),
    ("更换灯管/灯泡（不含材料）", RepairCategory.ELECTRICAL, 1000, "个"),
    ("更换插座面板（不含材料）", RepairCategory.ELECTRICAL, 1500, "个"),
    ("更换门锁锁芯（不含材料）", RepairCategory.DOOR_WINDOW, 4000, "把"),
)


def _price_list(site, manager, at):
    from kiosk.cases import prices

    for name, category, fee, unit in PRICE_LIST:
        prices.add(site, manager, name=name, category=category, fee_cents=fee, unit=unit, now=at)


def _visits(site, rng, zone, now, households, supervisor, officer):
    """This month's visit plan (C12): twelve households, the ones before today mostly visited."""
    from kiosk.cases import household_visits

    today = now.astimezone(zone).date()
    chosen = rng.sample(households, 12)
    entries = household_visits.plan(site, user=supervisor, month=today, households=chosen, officer=officer)
    for i, entry in enumerate(entries[: min(today.day - 1, 7)]):
        at = now - timedelta(days=today.day - 1 - i, hours=-2) if today.day > 1 else now
        at = min(at, now - timedelta(hours=1))
        opinion = "建议小区增设电动车充电桩" if i == 2 else None
        household_visits.record(
            site,
            entry,
            user=officer,
            met="业主本人",
            findings="房屋及设施正常，无安全隐患",
            opinion=opinion,
            opinion_class=IntakeClass.SUGGESTION,
            now=at,
        )


def _coordination(site, zone, now, departments, supervisor, engineer):
    """Two coordination requests (C9): one answered by all, one with security late."""
    from kiosk.cases import coordination

    signed = _demo_signature(site)
    today = now.astimezone(zone).date()
    done = coordination.create(
        site,
        user=supervisor,
        matter="2栋地下车库顶板渗水，需工程部堵漏、保洁部清理积水",
        departments=[departments[DepartmentKind.ENGINEERING], departments[DepartmentKind.CLEANING]],
        due=today - timedelta(days=10),
        now=now - timedelta(days=12),
    )
    coordination.answer(
        done,
        departments[DepartmentKind.ENGINEERING].id,
        engineer,
        text="已完成顶板注浆堵漏",
        signature=signed,
        now=now - timedelta(days=11),
    )
    coordination.answer(
        done,
        departments[DepartmentKind.CLEANING].id,
        supervisor,
        text="积水已清理，地面已消毒",
        signature=signed,
        now=now - timedelta(days=11),
    )
    late = coordination.create(
        site,
        user=supervisor,
        matter="东门外占道施工影响业主车辆进出，需工程部与保安部协同处理",
        departments=[departments[DepartmentKind.ENGINEERING], departments[DepartmentKind.SECURITY]],
        due=today - timedelta(days=1),
        now=now - timedelta(days=3),
    )
    coordination.answer(
        late,
        departments[DepartmentKind.ENGINEERING].id,
        engineer,
        text="已与施工方协调夜间作业",
        signature=signed,
        now=now - timedelta(days=2),
    )


_SIGNED: dict = {}


def _demo_signature(site):
    """A drawn squiggle stored once per site and photo root as the demo's signatures."""
    from flask import current_app

    from kiosk import photos

    key = (str(photos.root(current_app.config, current_app.instance_path)), site.id)
    if key not in _SIGNED:
        _SIGNED[key] = _draw_signature(site)
    return _SIGNED[key]


def _draw_signature(site):
    import base64
    import io

    from flask import current_app
    from PIL import Image, ImageDraw

    from kiosk import photos, signatures

    image = Image.new("RGB", (360, 120), "white")
    ImageDraw.Draw(image).line(
        [(20, 80), (70, 30), (110, 90), (160, 35), (210, 85), (260, 40), (330, 70)], fill="black", width=5
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    root = photos.root(current_app.config, current_app.instance_path)
    return signatures.store(root, site.id, "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode())


def _one_call(site, rng, at, now, back, households, departments, reception, supervisor, engineer, officer):
    household = rng.choice(households)
    roll = rng.random()
    kind = (
        IntakeClass.REPAIR
        if roll < 0.35
        else IntakeClass.INQUIRY
        if roll < 0.55
        else IntakeClass.COMPLAINT
        if roll < 0.67
        else IntakeClass.ISSUE
        if roll < 0.79
        else IntakeClass.SUGGESTION
        if roll < 0.88
        else IntakeClass.PRAISE
        if roll < 0.95
        else IntakeClass.OTHER
    )
    channel = rng.choice([Channel.PHONE, Channel.PHONE, Channel.PHONE, Channel.VISIT, Channel.LETTER])
    call = intake.Call(channel=channel, kind=kind, content="", read_back=True, household=household)
    if kind == IntakeClass.REPAIR:
        call.content, call.category = rng.choice(REPAIRS)
    elif kind == IntakeClass.COMPLAINT:
        call.content = rng.choice(list(COMPLAINTS))
    elif kind == IntakeClass.INQUIRY:
        call.content, call.answer = rng.choice(INQUIRIES)
        if call.answer is None:
            call.reply_due_at = at + timedelta(hours=24)
    elif kind == IntakeClass.ISSUE:
        call.content, dept = rng.choice(ISSUES)
        call.department = departments[dept]
    elif kind == IntakeClass.SUGGESTION:
        call.content = rng.choice(SUGGESTIONS)
    elif kind == IntakeClass.PRAISE:
        call.content = rng.choice(PRAISES)
    else:
        call.content, call.importance = "业主反映小区外围道路施工占道，询问物业能否协调", Importance.HIGH
    entry = intake.log(site, call, user=reception, now=at)
    db.session.flush()
    if kind == IntakeClass.REPAIR:
        _follow_order(entry, rng, at, now, back, departments, reception, supervisor, engineer, officer)
    elif kind == IntakeClass.COMPLAINT:
        _follow_complaint(entry, rng, at, now, back, departments, reception, supervisor, engineer, officer)
    elif (
        kind in (IntakeClass.ISSUE, IntakeClass.INQUIRY) and entry.status == "open" and back > 2 and rng.random() < 0.8
    ):
        intake.close(entry, reception, "已核实并答复业主", at + timedelta(hours=rng.randint(2, 30)))


def _follow_order(entry, rng, at, now, back, departments, reception, supervisor, engineer, officer):
    from kiosk.models.case_orders import WorkOrder

    order = db.session.scalar(sa.select(WorkOrder).where(WorkOrder.intake_id == entry.id))
    if rng.random() < 0.04:
        orders.void(order, supervisor, "业主来电取消，问题已自行解决", at + timedelta(minutes=20))
        return
    dispatched = at + timedelta(minutes=rng.choice([2, 3, 4, 4, 6, 12]))
    if dispatched > now:
        return
    named = engineer if order.number % 10 < 7 else None  # most go to the engineer by name (no draw: the rest stays)
    orders.dispatch(order, reception, departments[DepartmentKind.ENGINEERING], dispatched, engineer=named)
    if back == 0 or rng.random() < 0.1:
        return
    finished = dispatched + timedelta(hours=rng.randint(1, 30))
    if finished > now:
        return
    demo_work.work(order, rng, engineer, dispatched, finished, _demo_signature(order.site))  # on the tablet
    called = finished + timedelta(hours=rng.randint(3, 40))
    if called < now - timedelta(hours=2) and rng.random() < 0.9:
        orders.callback(
            order, officer, satisfied=rng.random() < 0.93, fee_confirmed=True, note="业主表示满意", now=called
        )


def _follow_complaint(entry, rng, at, now, back, departments, reception, supervisor, engineer, officer):
    from kiosk.models.case_complaints import Complaint

    case = db.session.scalar(sa.select(Complaint).where(Complaint.intake_id == entry.id))
    if back == 0 and rng.random() < 0.5:
        return  # validity still to check
    checked = at + timedelta(minutes=15)
    if rng.random() < 0.1:
        complaints.check_validity(
            case,
            reception,
            valid=False,
            now=checked,
            explanation="该问题属市政管辖，已告知业主联系街道办，并提供了电话",
        )
        return
    complaints.check_validity(case, reception, valid=True, explanation=None, now=checked)
    if back <= 1:
        return  # with the supervisors
    graded = checked + timedelta(hours=rng.choice([1, 2, 3, 6]))
    grade = Grade.MAJOR if rng.random() < 0.25 else Grade.GENERAL
    complaints.grade(
        case,
        supervisor,
        grade=grade,
        category=COMPLAINTS.get(case.content, ComplaintCategory.OTHER),
        reason="影响业主正常生活" if grade == Grade.GENERAL else "涉及安全隐患",
        department=departments[DepartmentKind.ENGINEERING],
        now=graded,
    )
    complaints.first_answer(case, reception, "已向业主说明处理安排及时限", graded + timedelta(hours=rng.randint(1, 60)))
    if back < 3:
        return
    received = graded + timedelta(minutes=rng.choice([15, 30, 50]))  # the department signs for the form (C5)
    complaints.receive_form(case, engineer, signature=_demo_signature(case.site), now=received)
    if back < 4 or rng.random() < 0.15:
        return
    done = graded + timedelta(days=rng.randint(0, 4), hours=rng.randint(1, 6))
    if done > now:
        return
    complaints.rectified(case, engineer, "已与相关方沟通并整改完毕", done)
    called = done + timedelta(days=rng.randint(1, 5))
    if called < now and back > 8:
        complaints.record_callback(
            case,
            officer,
            satisfaction=Satisfaction.SATISFIED,
            note="业主对处理结果满意",
            confirmation=Confirmation.PHONE,
            confirmed_by="业主本人",
            now=called,
        )
