"""Typed errors of decision tables. Each carries a Chinese message for the user."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _


class DecisionError(Exception):
    """Base: `message` is what the user reads; views turn it into a 4xx."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class DecisionForbidden(DecisionError):
    status = 403


class TableInvalid(DecisionError):
    """A version that cannot be published: `problems` lists each, "第N行：…"."""

    status = 422

    def __init__(self, problems: list):
        self.problems = list(problems)
        super().__init__(_("决策表有 %(n)s 处问题，不能发布：%(list)s") % {
            "n": len(self.problems), "list": "；".join(p.message for p in self.problems)})


class VersionImmutable(DecisionError):
    """A published version is never changed: make a new version instead."""

    status = 409

    def __init__(self, version):
        super().__init__(_("决策表“%(table)s”第 %(number)s 版已于 %(at)s 发布，不能再修改；"
                           "请基于它新建一个草稿版本。") % {
            "table": version.table.name, "number": version.number,
            "at": timezone.localtime(version.published_at).strftime("%Y-%m-%d %H:%M")})


class VersionSuperseded(DecisionError):
    """A draft older than the version in force: published, it would never decide a case (the
    newest published version does)."""

    status = 409

    def __init__(self, version, newer):
        super().__init__(_("决策表“%(table)s”已发布第 %(newer)s 版并正在使用，第 %(number)s 版"
                           "编号较旧，发布后也不会生效；如需采用其内容，请基于它新建草稿"
                           "后发布。") % {
            "table": version.table.name, "newer": newer.number, "number": version.number})
