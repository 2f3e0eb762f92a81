"""Demo survey opinions (C6): four weeks of opinions from the quarter's satisfaction survey,
in every state (to send, with the department, measures written, called back, one sent back
after an unhappy callback), some steps late. Called from kiosk.cases.demo; computed from now."""

from datetime import datetime, timedelta

from kiosk.cases import surveys
from kiosk.models import DepartmentKind, Role
from kiosk.models.cases import Satisfaction

DAYS = 28
OPINIONS = (  # what the household said on the survey, and the department it goes to
    ("小区绿化修剪不及时，草坪杂草较多", DepartmentKind.LANDSCAPING),
    ("地下车库照明太暗，晚上停车不安全", DepartmentKind.ENGINEERING),
    ("外来车辆进出登记不严", DepartmentKind.SECURITY),
    ("电梯轿厢卫生需要加强，地面常有污渍", DepartmentKind.CLEANING),
    ("服务中心电话午休时间无人接听", DepartmentKind.CUSTOMER_SERVICE),
    ("单元门禁经常失灵", DepartmentKind.ENGINEERING),
    ("垃圾分类投放点气味大，希望增加清洗次数", DepartmentKind.CLEANING),
    ("夜间巡逻次数偏少", DepartmentKind.SECURITY),
    ("儿童游乐设施有松动，存在安全隐患", DepartmentKind.ENGINEERING),
    ("前台办理业务排队时间较长", DepartmentKind.CUSTOMER_SERVICE),
    ("楼道堆放杂物无人清理", DepartmentKind.CLEANING),
    ("东门道闸抬杆太慢，早高峰排队", DepartmentKind.ENGINEERING),
)
MEASURES = {
    DepartmentKind.LANDSCAPING: "已安排每周二、周五集中修剪除草，本月底前完成全小区草坪整治。",
    DepartmentKind.ENGINEERING: "已列入本周维修计划，由工程部派专人处理，完成后在群内告知。",
    DepartmentKind.SECURITY: "已重申登记制度，对岗位人员进行培训，主管每日抽查。",
    DepartmentKind.CLEANING: "已调整保洁排班，增加每日巡检与清洗频次，主管每日检查。",
    DepartmentKind.CUSTOMER_SERVICE: "已安排午休轮岗，保证服务时间内电话有人接听。",
}


def seed(site, rng, *, zone, now, users, departments, households) -> None:
    reception, officer, engineer = users.get(Role.RECEPTIONIST), users.get(Role.OFFICER), users.get(Role.DEPARTMENT)
    if not (reception and officer and households and departments):
        return
    start = now.astimezone(zone) - timedelta(days=DAYS)
    survey = f"{start.year}年第{(start.month - 1) // 3 + 1}季度业主满意度调查"
    for i, (content, kind) in enumerate(OPINIONS):
        back = DAYS - i * DAYS // (len(OPINIONS) - 1)  # every two or three days, the last one today
        at = datetime.combine(now.astimezone(zone).date() - timedelta(days=back), datetime.min.time(), zone)
        at = min((at + timedelta(hours=rng.randint(9, 17))).astimezone(now.tzinfo), now - timedelta(hours=1))
        household = households[(i * 7) % len(households)]
        opinion = surveys.record(
            site,
            user=reception,
            now=at,
            survey=survey,
            content=content,
            household=household,
            contact_name=None,
            contact_phone=None,
            department=departments.get(kind),
        )
        steps = {len(OPINIONS) - 1: 0, len(OPINIONS) - 2: 1, len(OPINIONS) - 3: 2}.get(i, 3)
        _follow(opinion, rng, i, steps, at, now, kind, departments, reception, officer, engineer)


def _follow(opinion, rng, i, steps, at, now, kind, departments, reception, officer, engineer) -> None:
    """The opinion's first `steps` later steps, each only if its time has come (the newest
    ones wait at each state); i % 6 == 1 is sent late, i % 6 == 2 gets its measures late,
    the fourth one is called back unhappy and goes back to the department."""
    sent = at + timedelta(days=3 if i % 6 == 1 else rng.randint(0, 1), hours=1)
    if steps < 1 or sent > now or departments.get(kind) is None:
        return
    surveys.send(opinion, reception, departments[kind], sent)
    writer = engineer if engineer is not None and kind == DepartmentKind.ENGINEERING else reception
    measured = sent + timedelta(days=5 if i % 6 == 2 else rng.randint(1, 3))
    if steps < 2 or measured > now:
        return
    surveys.write_measures(opinion, writer, MEASURES[kind], measured)
    called = measured + timedelta(days=rng.randint(3, 12))
    if steps < 3 or called > now:
        return
    unhappy = i == 3
    surveys.callback(
        opinion,
        officer,
        satisfaction=Satisfaction.UNSATISFIED if unhappy else Satisfaction.SATISFIED,
        confirmed_by="业主本人",
        note="仍未见改善，请部门再处理" if unhappy else "已改善，满意",
        now=called,
    )
