"""Demo: nine months of complaints before the three weeks of kiosk.cases.demo, each taken
through its steps (graded with a category, signed for, answered, rectified, called back), so
the quarterly complaint analysis (C5) and its four-quarter trend show something after
`make run`. Most deadlines met, some missed; deterministic for a given random generator."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from kiosk.cases import complaints, intake
from kiosk.extensions import db
from kiosk.models import DepartmentKind, Role, User
from kiosk.models.case_complaints import Complaint, ComplaintCategory, Grade
from kiosk.models.cases import CaseEvent, Channel, Confirmation, IntakeClass, Satisfaction

WEEKS = 39  # three quarters and the weeks before the recent demo
# What residents complain about, the category the supervisor gives it and the department.
TOPICS = [
    ("前台接待人员态度冷淡，问题没说完就挂了电话", ComplaintCategory.SERVICE_ATTITUDE, DepartmentKind.CUSTOMER_SERVICE),
    ("维修师傅上门迟到一个多小时，也没有提前告知", ComplaintCategory.SERVICE_ATTITUDE, DepartmentKind.ENGINEERING),
    ("卫生间漏水修了两次还在漏", ComplaintCategory.REPAIR_QUALITY, DepartmentKind.ENGINEERING),
    ("换的水龙头一周就坏了", ComplaintCategory.REPAIR_QUALITY, DepartmentKind.ENGINEERING),
    ("楼道垃圾两天没人清理，气味很大", ComplaintCategory.CLEANING, DepartmentKind.CLEANING),
    ("小区水景池长期不换水，滋生蚊虫", ComplaintCategory.CLEANING, DepartmentKind.CLEANING),
    ("外来车辆随意进出小区，门岗不登记", ComplaintCategory.SECURITY, DepartmentKind.SECURITY),
    ("夜间有人在地库飙车，无人制止", ComplaintCategory.SECURITY, DepartmentKind.SECURITY),
    ("电梯经常停运，维保不到位", ComplaintCategory.FACILITIES, DepartmentKind.ENGINEERING),
    ("单元门禁坏了一周没人修", ComplaintCategory.FACILITIES, DepartmentKind.ENGINEERING),
    ("物业费账单里有重复收取的项目", ComplaintCategory.CHARGES, DepartmentKind.CUSTOMER_SERVICE),
    ("楼上装修噪音扰民，多次协调无果", ComplaintCategory.NEIGHBOURS, DepartmentKind.CUSTOMER_SERVICE),
    ("邻居在楼道堆放杂物，影响通行", ComplaintCategory.NEIGHBOURS, DepartmentKind.CUSTOMER_SERVICE),
    ("绿化修剪时间太早，影响休息", ComplaintCategory.OTHER, DepartmentKind.LANDSCAPING),
]


def seed(site, rng, *, reception, supervisor, officer, departments, households, signature, before: datetime) -> None:
    """Complaints received in the WEEKS weeks up to `before`, all taken to the end."""
    zone = ZoneInfo(site.timezone)
    department_users = {
        u.department_id: u
        for u in db.session.scalars(
            sa.select(User).where(User.site_id == site.id, User.role == Role.DEPARTMENT).order_by(User.id)
        )
    }
    start = before - timedelta(weeks=WEEKS)
    for week in range(WEEKS):
        for _ in range(rng.randint(1, 4) + (week % 13 > 8)):  # busier toward each quarter's end
            day = (start + timedelta(weeks=week, days=rng.randint(0, 6))).astimezone(zone).date()
            at = datetime.combine(day, datetime.min.time(), zone) + timedelta(minutes=rng.randint(8 * 60 + 30, 19 * 60))
            if at >= before:
                continue
            topic = rng.choice(TOPICS)
            _one(
                site,
                rng,
                at.astimezone(ZoneInfo("UTC")),
                topic,
                reception,
                supervisor,
                officer,
                departments,
                department_users,
                rng.choice(households),
                signature,
            )


def sign_for(case: Complaint, department_users: dict, at: datetime, signature) -> None:
    """The department signs for the complaint form (C5): on the console when the demo has an
    account of that department, else the signed paper form is recorded as come back."""
    user = department_users.get(case.department_id)
    if user is not None:
        complaints.receive_form(case, user, signature=signature, now=at)
        return
    complaints.mark_missed(case, at)
    case.form_received_at = case.notified_at = at
    case.form_signature_path, case.form_signature_sha256 = signature.path, signature.sha256
    if case.notify_due_at is not None and at > case.notify_due_at:
        case.notify_missed = True
    db.session.add(
        CaseEvent(site_id=case.site_id, complaint=case, at=at, action="form_received", note="纸质投诉单签收")
    )


def _one(site, rng, at, topic, reception, supervisor, officer, departments, department_users, household, signature):
    content, category, department = topic
    call = intake.Call(
        channel=rng.choice([Channel.PHONE, Channel.PHONE, Channel.VISIT, Channel.LETTER]),
        kind=IntakeClass.COMPLAINT,
        content=content,
        read_back=True,
        household=household,
    )
    entry = intake.log(site, call, user=reception, now=at)
    db.session.flush()
    case = db.session.scalar(sa.select(Complaint).where(Complaint.intake_id == entry.id))
    checked = at + timedelta(minutes=rng.choice([5, 10, 20]))
    if rng.random() < 0.08:
        complaints.check_validity(
            case, reception, valid=False, explanation="不属物业服务范围，已告知业主联系相关单位", now=checked
        )
        return
    complaints.check_validity(case, reception, valid=True, explanation=None, now=checked)
    grade = Grade.MAJOR if rng.random() < 0.2 else Grade.GENERAL
    graded = checked + timedelta(minutes=rng.choice([20, 40, 60, 90]))
    complaints.grade(
        case,
        supervisor,
        grade=grade,
        category=category,
        reason="涉及安全或多户业主" if grade == Grade.MAJOR else "影响业主正常生活",
        department=departments[department],
        now=graded,
    )
    sign_for(case, department_users, graded + timedelta(minutes=rng.choice([15, 30, 60, 120, 150, 300])), signature)
    answered = graded + timedelta(hours=rng.choice([2, 5, 20, 30, 40, 60]))
    complaints.first_answer(case, reception, "已向业主说明处理安排及时限", answered)
    handler = department_users.get(case.department_id) or supervisor
    done = graded + timedelta(days=rng.choice([0, 1, 1, 2, 3, 5]), hours=rng.randint(2, 6))
    complaints.rectified(case, handler, "已与相关方沟通并整改完毕", done)
    if rng.random() < 0.05:  # not satisfied: back to the department, fixed again
        called = done + timedelta(days=2)
        complaints.record_callback(
            case,
            officer,
            satisfaction=Satisfaction.UNSATISFIED,
            note="业主认为仍未解决",
            confirmation=None,
            confirmed_by=None,
            now=called,
        )
        done = called + timedelta(days=1)
        complaints.rectified(case, handler, "再次上门处理，业主现场确认", done)
    called = done + timedelta(days=rng.choice([2, 4, 6, 8, 13, 16]))
    complaints.record_callback(
        case,
        officer,
        satisfaction=Satisfaction.BASICALLY if rng.random() < 0.2 else Satisfaction.SATISFIED,
        note="业主对处理结果表示认可",
        confirmation=Confirmation.PHONE,
        confirmed_by="业主本人",
        now=called,
    )
