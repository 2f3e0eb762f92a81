"""Checklist templates and their versions. Plain Python, no request.

An edit never changes a version: it makes the next one (patrols keep pointing at the
version they were run with). Items keep their `key` across versions so that a repeat
failure of "the same item" can be recognised after an edit (P7).
"""

import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kiosk import audit
from kiosk.extensions import db
from kiosk.models import DepartmentKind, Site, User
from kiosk.models.patrols import (
    AnswerKind,
    ChecklistTemplate,
    CheckpointKind,
    TemplateItem,
    TemplateSection,
    TemplateVersion,
)


@dataclass
class ItemData:
    text_zh: str
    text_en: str
    kind: AnswerKind = AnswerKind.CHECK
    department: DepartmentKind = DepartmentKind.ENGINEERING
    standard: str = ""
    min_value: float | None = None
    max_value: float | None = None
    unit: str = ""
    requires_note: bool = True
    requires_photo: bool = True
    deadline_days: int = 3
    key: str | None = None  # set when the item continues one of an earlier version
    fail_zh: str = ""  # the finding when it fails ("楼内卫生不合格"): the task's title (P7)
    fail_en: str = ""


@dataclass
class SectionData:
    title_zh: str
    title_en: str
    items: list[ItemData] = field(default_factory=list)
    checkpoint_kind: CheckpointKind | None = None


class TemplateInvalid(ValueError):
    pass


def _validate(name_zh: str, name_en: str, sections: list[SectionData]) -> None:
    if not name_zh.strip() or not name_en.strip():
        raise TemplateInvalid("name")
    if not any(section.items for section in sections):
        raise TemplateInvalid("empty")
    for section in sections:
        for item in section.items:
            if item.kind == AnswerKind.NUMBER and (
                item.min_value is not None and item.max_value is not None and item.min_value > item.max_value
            ):
                raise TemplateInvalid("range")


def _add_version(
    template: ChecklistTemplate,
    number: int,
    name_zh: str,
    name_en: str,
    sections: list[SectionData],
    actor: User | None,
) -> TemplateVersion:
    version = TemplateVersion(
        template=template,
        number=number,
        name_zh=name_zh.strip(),
        name_en=name_en.strip(),
        created_by_id=actor.id if actor else None,
    )
    db.session.add(version)
    for s_pos, data in enumerate(s for s in sections if s.items):
        section = TemplateSection(
            version=version,
            position=s_pos,
            title_zh=data.title_zh.strip(),
            title_en=data.title_en.strip(),
            checkpoint_kind=data.checkpoint_kind,
        )
        db.session.add(section)
        for i_pos, item in enumerate(data.items):
            db.session.add(
                TemplateItem(
                    section=section,
                    position=i_pos,
                    key=item.key or uuid.uuid4().hex[:16],
                    standard=item.standard,
                    text_zh=item.text_zh.strip(),
                    text_en=item.text_en.strip(),
                    kind=item.kind,
                    min_value=item.min_value,
                    max_value=item.max_value,
                    unit=item.unit,
                    fail_requires_note=item.requires_note,
                    fail_requires_photo=item.requires_photo,
                    department_kind=item.department,
                    deadline_days=item.deadline_days,
                    fail_zh=item.fail_zh.strip(),
                    fail_en=item.fail_en.strip(),
                )
            )
    return version


def create(
    site: Site,
    code: str,
    *,
    name_zh: str,
    name_en: str,
    sections: list[SectionData],
    checkpoint_kinds: list[CheckpointKind],
    rule: str = "",
    actor: User | None = None,
) -> ChecklistTemplate:
    _validate(name_zh, name_en, sections)
    template = ChecklistTemplate(site=site, code=code, rule=rule, checkpoint_kinds=[str(k) for k in checkpoint_kinds])
    db.session.add(template)
    _add_version(template, 1, name_zh, name_en, sections, actor)
    db.session.flush()
    audit.record(actor, "checklist.created", template, site_id=site.id, details={"code": code})
    return template


def new_version(
    template: ChecklistTemplate, *, name_zh: str, name_en: str, sections: list[SectionData], actor: User
) -> TemplateVersion:
    """Save an edit as the next version; earlier versions and their patrols stay as they were."""
    _validate(name_zh, name_en, sections)
    number = (
        db.session.scalar(
            sa.select(sa.func.max(TemplateVersion.number)).where(TemplateVersion.template_id == template.id)
        )
        or 0
    ) + 1
    # An item kept with the same wording keeps its failure wording (the editor does not show it).
    before = {i.key: i for s in template.current.sections for i in s.items}
    for data in (item for section in sections for item in section.items):
        earlier = before.get(data.key or "")
        if (
            earlier is not None
            and not data.fail_zh
            and (earlier.text_zh, earlier.text_en) == (data.text_zh.strip(), data.text_en.strip())
        ):
            data.fail_zh, data.fail_en = earlier.fail_zh, earlier.fail_en
    version = _add_version(template, number, name_zh, name_en, sections, actor)
    db.session.flush()
    db.session.expire(template, ["versions"])
    audit.record(actor, "checklist.new_version", template, details={"version": number})
    return version


def load_version(version_id: int) -> TemplateVersion | None:
    """A version with its sections and items in two queries."""
    return db.session.scalar(
        sa.select(TemplateVersion)
        .where(TemplateVersion.id == version_id)
        .options(selectinload(TemplateVersion.sections).selectinload(TemplateSection.items))
    )


def as_data(version: TemplateVersion) -> list[SectionData]:
    """A version's content as plain data (the editor starts from it)."""
    return [
        SectionData(
            title_zh=s.title_zh,
            title_en=s.title_en,
            checkpoint_kind=s.checkpoint_kind,
            items=[
                ItemData(
                    text_zh=i.text_zh,
                    text_en=i.text_en,
                    kind=i.kind,
                    department=i.department_kind,
                    standard=i.standard,
                    min_value=i.min_value,
                    max_value=i.max_value,
                    unit=i.unit,
                    requires_note=i.fail_requires_note,
                    requires_photo=i.fail_requires_photo,
                    deadline_days=i.deadline_days,
                    key=i.key,
                    fail_zh=i.fail_zh,
                    fail_en=i.fail_en,
                )
                for i in s.items
            ],
        )
        for s in version.sections
    ]


def sections_at(version: TemplateVersion, kind: CheckpointKind) -> list[TemplateSection]:
    """The sections that apply at a checkpoint of this kind."""
    return [s for s in version.sections if s.checkpoint_kind in (None, kind) and s.items]


def active_templates(site_id: int) -> list[ChecklistTemplate]:
    return list(
        db.session.scalars(
            sa.select(ChecklistTemplate)
            .where(ChecklistTemplate.site_id == site_id, ChecklistTemplate.active.is_(True))
            .options(selectinload(ChecklistTemplate.versions))
            .order_by(ChecklistTemplate.id)
        )
    )
