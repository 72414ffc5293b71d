"""A screen reader names and describes every control: each button, field, list and choice the
user can reach on every page and in the dialogs has an accessible name (its own, or its text)
and a description (its own, or its tooltip) of what it does or holds."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from pytestqt.qtbot import QtBot

from console.domain.contact_import import ImportContact, RowReport, Table, TableRow, guess_mapping
from console.domain.conversations import ConversationKind, ConversationStatus
from console.domain.opt_out_hint import DEFAULT_HINT
from console.domain.quiet_hours import Window
from console.domain.scheduled import ScheduledItem, ScheduledKind, ScheduledStatus
from console.domain.templates import TemplateItem
from console.services.auth import AuthService
from console.services.compliance_rows import NumberHint, StateWindow
from console.services.types import ConversationRow, OptOutFlag
from console.ui.compliance_dialog import ComplianceDialog
from console.ui.contact_import_dialog import ContactImportDialog
from console.ui.login_dialog import LoginDialog
from console.ui.opt_out_review import OptOutBanner
from console.ui.qt import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTimeEdit,
    QWidget,
)
from console.ui.schedule_dialog import ScheduleDialog
from console.ui.schedule_times import Recipient
from console.ui.scheduled_list import ScheduledSendsDialog
from console.ui.template_editor import TemplateEditor
from console.ui.template_insert import as_written
from console.ui.template_picker import TemplatePicker
from tests.ui.conftest import MainWindowFactory

CONTROLS = (
    QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QPlainTextEdit, QDateEdit, QTimeEdit,
)
# A scroll area's viewport is Qt's, but what a view shows in it (a table's cell widgets: a
# choice per row) is the console's own control.
_VIEWPORT = "qt_scrollarea_viewport"


def _qt_internal(widget: QWidget) -> bool:
    """Parts Qt builds inside a control (a field's clear button, a combo box's popup list,
    a table's header): the control around them carries the name."""
    parent = widget.parentWidget()
    return (
        widget.objectName().startswith("qt_")
        or isinstance(widget, QHeaderView)
        or isinstance(parent, QLineEdit | QComboBox | QDateEdit | QTimeEdit)
        or (parent is not None and type(parent).__name__ == "QComboBoxPrivateContainer")
        or (parent is not None and parent.objectName().startswith("qt_")
            and parent.objectName() != _VIEWPORT)
    )


def _unnamed(top: QWidget) -> list[str]:
    missing = []
    for widget in top.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisible() or _qt_internal(widget):
            continue
        name = widget.accessibleName()
        if not name and isinstance(widget, QAbstractButton):
            name = widget.text().replace("&", "")
        if not name.strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def _undescribed(top: QWidget) -> list[str]:
    """The visible controls with neither an accessible description nor a tooltip (which Qt
    gives a screen reader as the description)."""
    missing = []
    for widget in top.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisible() or _qt_internal(widget):
            continue
        if not (widget.accessibleDescription().strip() or widget.toolTip().strip()):
            name = widget.accessibleName() or (
                widget.text().replace("&", "") if isinstance(widget, QAbstractButton) else ""
            )
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} {name!r}")
    return missing


def test_every_visible_control_has_a_name(
    qtbot: QtBot, window_for: MainWindowFactory
) -> None:
    window = window_for(None)
    seen = 0
    for action in (window.show_conversations_action, window.show_contacts_action,
                   window.show_groups_action, window.show_group_messages_action,
                   window.show_history_action):
        action.trigger()
        assert _unnamed(window) == [], action.text()
        assert _undescribed(window) == [], action.text()
        seen += sum(1 for w in window.findChildren(QWidget)
                    if isinstance(w, CONTROLS) and w.isVisible())
    assert seen > 40  # the pages really were shown and searched

    settings = window.show_settings()
    qtbot.waitExposed(settings)
    assert _unnamed(settings) == []
    assert _undescribed(settings) == []
    settings.close()

    login = LoginDialog(AuthService().login, server_url="http://127.0.0.1:9")
    qtbot.addWidget(login)
    login.show()
    qtbot.waitExposed(login)
    login.set_advanced_visible(True)
    assert _unnamed(login) == []
    assert _undescribed(login) == []
    assert QApplication.instance() is not None


def _newer_views(qtbot: QtBot) -> list[QWidget]:
    """The views added after the pages above, each on data of its own (no backend): the
    template picker and editor, the schedule dialog and the list of scheduled sends, the
    opt-out banner, the compliance settings and the contacts import at each step."""
    now = datetime.now(UTC)
    templates = [TemplateItem("t1", "Showing", "Hi {first_name}, see you at 10.", shared=True),
                 TemplateItem("t2", "Keys", "Keys at the desk.", shared=False,
                              owner_user_id="me")]
    picker = TemplatePicker(fill=as_written, target="Ana López")
    picker.set_items(templates, lambda _item: True)
    editors = [TemplateEditor(lambda *_a: None, may_share=True, body="Hi {first_name}"),
               TemplateEditor(lambda *_a: None, item=templates[1], may_share=False)]
    schedule = ScheduleDialog(lambda *_a: None, [Recipient("Ana López", "+14155550111")],
                              text="Open house at 10")
    scheduled = ScheduledSendsDialog(lambda _item: "Ana López")
    scheduled.set_items([ScheduledItem("s1", ScheduledKind.MESSAGE, ScheduledStatus.SCHEDULED,
                                       "Open house at 10", now + timedelta(days=1),
                                       conversation_id="c1")])
    banner = OptOutBanner()
    banner.show_for(ConversationRow(
        id="c1", kind=ConversationKind.DIRECT, title="Ana López", subtitle="", preview="",
        last_message_at=now, unread_count=0, status=ConversationStatus.ACTIVE,
        opt_out=OptOutFlag("c1", "Ana López", "m1", now, "please stop texting me")))
    compliance = ComplianceDialog()
    compliance.set_numbers([NumberHint("n1", "Main office", "(415) 555-0100", DEFAULT_HINT)])
    compliance.set_windows([StateWindow("FL", Window(time(8), time(20)))])
    table = Table(("Name", "Mobile Phone"), (TableRow(2, ("Ana López", "(415) 555-0111")),))
    imports = [ContactImportDialog() for _ in range(3)]
    imports[1].set_table(table, guess_mapping(table.columns))
    imports[2].set_table(table, guess_mapping(table.columns))
    imports[2].set_reports([RowReport(2, ImportContact("Ana López", ()))], {})
    return [picker, *editors, schedule, scheduled, banner, compliance, *imports]


def test_every_control_of_the_newer_views_is_named_and_described(qtbot: QtBot) -> None:
    seen = 0
    for view in _newer_views(qtbot):
        qtbot.addWidget(view)
        view.show()
        qtbot.waitExposed(view)
        where = view.objectName()
        assert _unnamed(view) == [], where
        assert _undescribed(view) == [], where
        seen += sum(1 for w in view.findChildren(QWidget)
                    if isinstance(w, CONTROLS) and w.isVisible())
    assert seen > 40  # the views really were shown and searched
