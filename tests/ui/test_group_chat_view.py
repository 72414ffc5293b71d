"""A group chat in the conversation panel, against a real backend on loopback: participant
chips and search, the participant panel with its Updated / Deleted / DND tags, authors with
their numbers as replies arrive live, per-message delivery, the STOP-driven blocked banner and
its "new group chat without" signal, a chat whose number the user may not send from, and the
compose rules that depend on the chat (in-app, group send confirmation).

The panel is wired here as the main window wires it (set_workspace, bind_compose,
set_settings, a ServiceBridge for changes); the backend and the services are the real ones.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.domain.phones import format_display
from console.protocol.demo import DEMO_PASSWORD
from console.services.types import MessageRow
from console.services.workspace import Workspace
from console.ui.bridge import ServiceBridge
from console.ui.compose import ComposeWidget
from console.ui.conversation_view import PANEL_OPEN_KEY, ConversationPanel
from console.ui.message_model import MessageListModel
from console.ui.participant_chips import ParticipantChip
from console.ui.participant_panel import ParticipantListModel
from console.ui.qt import (
    QAbstractButton,
    QAbstractItemView,
    QLineEdit,
    QListView,
    QMessageBox,
    QModelIndex,
    QSettings,
    Qt,
    QVBoxLayout,
    QWidget,
)
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import WorkspaceFactory, api, wait_first_sync

WAIT_MS = 15_000


class Numbers:
    """Fresh fictional 555-01xx numbers in area codes the demo data does not use (never
    555-0190..0199: the simulator fails delivery to 0194..0198 on purpose)."""

    def __init__(self) -> None:
        self._next = (f"+1{area}55501{n:02d}" for area in ("802", "603") for n in range(90))

    def __call__(self) -> str:
        return next(self._next)


# One pool for the module: its tests share `module_backend`, where a number may be taken once.
NUMBERS = Numbers()


@dataclass
class Person:
    id: str
    name: str
    phones: list[str]


@dataclass
class Chat:
    id: str
    number_id: str
    number_e164: str
    people: list[tuple[Person, str]]  # (contact, the number chosen for the chat)


def new_person(http: httpx.Client, name: str, *phones: str) -> Person:
    labels = ["primary", "secondary"]
    response = http.post(
        "/v1/contacts",
        json={
            "name": name,
            "phones": [{"number": p, "label": labels[i]} for i, p in enumerate(phones)],
        },
    )
    assert response.status_code == 201, response.text
    return Person(response.json()["id"], name, list(phones))


def new_chat(
    http: httpx.Client, people: list[tuple[Person, str]], *, number_label: str = "Main office"
) -> Chat:
    number = next(n for n in http.get("/v1/numbers").json()["items"] if n["label"] == number_label)
    response = http.post(
        "/v1/group-chats",
        json={
            "number_id": number["id"],
            "participants": [{"contact_id": p.id, "phone": phone} for p, phone in people],
        },
    )
    assert response.status_code == 201, response.text
    return Chat(response.json()["id"], number["id"], number["e164"], people)


def inbound(http: httpx.Client, chat: Chat, sender: str, body: str) -> None:
    """A participant texts the group (a group MMS: the business number and everyone else)."""
    others = [phone for _, phone in chat.people if phone != sender]
    response = http.post(
        "/v1/simulator/inbound",
        json={"from": sender, "to": [chat.number_e164, *others], "body": body},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201, response.text


class ChatView(QWidget):
    """The conversation panel over compose, wired as the main window wires them."""

    def __init__(self, workspace: Workspace, settings: QSettings) -> None:
        super().__init__()
        self.setMinimumSize(1100, 720)
        self.workspace = workspace
        self.panel = ConversationPanel(parent=self, settings=settings)
        self.compose = ComposeWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.compose)
        self.panel.set_workspace(workspace)
        self.panel.bind_compose(self.compose)
        self.bridge = ServiceBridge(self)
        self.bridge.track(workspace.conversations.changes.connect(self.bridge.on_changes))
        self.bridge.changes.connect(self.panel.apply_changes)

    def open(self, conversation_id: str) -> None:
        self.panel.open(conversation_id)
        service = self.workspace.conversations

        def send(body: str) -> MessageRow:
            return service.send(conversation_id, body)

        self.compose.set_conversation(conversation_id, send)

    def chips(self) -> list[ParticipantChip]:
        box = self.panel.findChild(QWidget, "participantChips")
        assert box is not None
        return [c for c in box.findChildren(ParticipantChip) if c.objectName() == "participantChip"]

    def visible_chip_texts(self) -> list[str]:
        return [chip.text() for chip in self.chips() if chip.isVisible()]

    def participant_list(self) -> QAbstractItemView:
        view = self.panel.findChild(QAbstractItemView, "participantList")
        assert view is not None
        return view

    def participant_rows(self) -> list[str]:
        model = self.participant_list().model()
        return [model.index(r, 0).data() for r in range(model.rowCount())]

    def participant_row(self, name: str) -> QModelIndex:
        model = self.participant_list().model()
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            if index.data(ParticipantListModel.NameRole) == name:
                return index
        return QModelIndex()

    def tags_of(self, name: str) -> list[str]:
        index = self.participant_row(name)
        tags = index.data(ParticipantListModel.TagsRole) if index.isValid() else None
        return list(tags) if tags else []

    def message(self, body: str) -> QModelIndex:
        model = self.panel.model
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            if index.data(MessageListModel.BodyRole) == body:
                return index
        return QModelIndex()


@pytest.fixture
def chat_view(
    qtbot: QtBot, ui_settings: QSettings
) -> Iterator[Any]:
    views: list[ChatView] = []

    def make(workspace: Workspace) -> ChatView:
        view = ChatView(workspace, ui_settings)
        qtbot.addWidget(view)
        view.show()
        qtbot.waitExposed(view)
        views.append(view)
        return view

    yield make
    for view in views:
        view.bridge.close()


def synced_chat_view(
    qtbot: QtBot, backend: BackendProcess, make_workspace: WorkspaceFactory, chat_view: Any,
    chat: Chat, **login: str,
) -> ChatView:
    workspace = make_workspace(backend, **login)
    wait_first_sync(qtbot, workspace)
    qtbot.waitUntil(
        lambda: workspace.conversations.conversation(chat.id) is not None, timeout=WAIT_MS
    )
    view: ChatView = chat_view(workspace)
    view.open(chat.id)
    return view


def test_participants_show_as_chips_and_in_the_panel_with_updated_and_deleted_tags(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    module_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    chat_view: Any,
    ui_settings: QSettings,
) -> None:
    number = NUMBERS
    with api(module_backend) as http:
        maria = new_person(http, "Maria Gonzalez", number(), number())
        james = new_person(http, "James Whitaker", number())
        lily = new_person(http, "Lily Chen", number())
        # Maria takes part with her secondary number.
        chat = new_chat(http, [(maria, maria.phones[1]), (james, james.phones[0]),
                               (lily, lily.phones[0])])
        view = synced_chat_view(qtbot, module_backend, make_workspace, chat_view, chat)

        # Header: one chip per participant, by name.
        assert view.visible_chip_texts() == ["Maria Gonzalez", "James Whitaker", "Lily Chen"]
        maria_chip = view.chips()[0]
        assert format_display(maria.phones[1]) in maria_chip.accessibleName()
        assert "secondary number" in maria_chip.toolTip()

        # Search: by a name fragment, and by a number fragment in any format.
        search = view.panel.findChild(QLineEdit, "participantSearch")
        assert search is not None
        qtbot.keyClicks(search, "whit")
        assert view.visible_chip_texts() == ["James Whitaker"]
        search.clear()
        lily_national = format_display(lily.phones[0])  # "(802) 555-01xx"
        qtbot.keyClicks(search, lily_national[:9])  # "(802) 555": all three live there
        assert len(view.visible_chip_texts()) == 3
        search.setText(lily_national[-8:])  # "555-01xx": Lily's alone
        assert view.visible_chip_texts() == ["Lily Chen"]
        search.setText("+1" + lily.phones[0][2:6])
        assert len(view.visible_chip_texts()) == 3
        search.setText("nobody here")
        assert view.visible_chip_texts() == []
        search.clear()
        assert len(view.visible_chip_texts()) == 3

        # The chevron opens the panel on the right; it is remembered.
        panel = view.panel.findChild(QWidget, "participantPanel")
        toggle = view.panel.findChild(QAbstractButton, "participantPanelToggle")
        assert panel is not None
        assert toggle is not None
        assert not panel.isVisible()
        qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
        assert panel.isVisible()
        assert ui_settings.value(PANEL_OPEN_KEY) in (True, "true")
        rows = view.participant_rows()
        assert len(rows) == 3
        assert rows[0].startswith("Maria Gonzalez")
        assert format_display(maria.phones[1]) in rows[0]
        assert "secondary number" in rows[0]
        assert "primary number" in rows[1]
        note = panel.findChild(QWidget, "participantFixedNote")
        assert note is not None
        assert "fixed" in note.text()  # type: ignore[attr-defined]
        assert view.tags_of("James Whitaker") == []

        # James's number changes: he is tagged Updated, and the chat keeps his old number.
        new_number = number()
        patched = http.patch(
            f"/v1/contacts/{james.id}", json={"phones": [{"number": new_number,
                                                           "label": "primary"}]}
        )
        assert patched.status_code == 200, patched.text
        qtbot.waitUntil(lambda: view.tags_of("James Whitaker") == ["Updated"], timeout=WAIT_MS)
        james_row = view.participant_row("James Whitaker")
        assert format_display(james.phones[0]) in james_row.data()
        assert "no longer on the contact" in james_row.data()
        assert "[Updated]" in james_row.data()
        qtmodeltester.check(view.participant_list().model())
        meanings = james_row.data(ParticipantListModel.TagMeaningsRole)
        assert "numbers changed" in meanings["Updated"]
        assert "Updated" in view.chips()[1].text()
        # Hovering the tag itself tells what it means.
        list_view = view.participant_list()
        assert isinstance(list_view, QListView)  # the delegate measures a list
        delegate = view.panel.participant_panel.delegate
        centers = delegate.tag_centers(list_view, james_row)
        tip = delegate.tag_tooltip_at(list_view, james_row, centers["Updated"])
        assert tip == meanings["Updated"]

        # Lily is deleted: Deleted, and still in the chat at her number.
        assert http.delete(f"/v1/contacts/{lily.id}").status_code in (200, 204)
        qtbot.waitUntil(lambda: "Deleted" in view.tags_of("Lily Chen"), timeout=WAIT_MS)
        assert format_display(lily.phones[0]) in view.participant_row("Lily Chen").data()
        assert "Deleted" in view.chips()[2].text()
        assert "deleted" in view.chips()[2].toolTip()

        # Messages still go to the numbers chosen at creation.
        body = f"Closing moved to Friday {uuid.uuid4().hex[:6]}"
        qtbot.keyClicks(view.compose.edit, body)
        qtbot.keyClick(view.compose.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

        def reached(phone: str) -> bool:
            sent = http.get("/v1/simulator/outbox", params={"to": phone}).json()["items"]
            return any(m["body"] == body for m in sent)

        qtbot.waitUntil(
            lambda: all(reached(p) for p in (maria.phones[1], james.phones[0], lily.phones[0])),
            timeout=WAIT_MS,
        )
        assert not reached(new_number)

    # Another panel with the same settings opens with the participant panel open.
    again = ConversationPanel(settings=ui_settings)
    qtbot.addWidget(again)
    assert again.participant_panel_open()


def test_replies_from_several_participants_show_their_authors_as_they_arrive(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    module_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    chat_view: Any,
) -> None:
    number = NUMBERS
    with api(module_backend) as http:
        maria = new_person(http, "Maria Gonzalez", number())
        james = new_person(http, "James Whitaker", number())
        lily = new_person(http, "Lily Chen", number())
        chat = new_chat(http, [(maria, maria.phones[0]), (james, james.phones[0]),
                               (lily, lily.phones[0])])
        view = synced_chat_view(qtbot, module_backend, make_workspace, chat_view, chat)
        tag = uuid.uuid4().hex[:6]
        replies = [
            (maria, f"Friday at 10 works for me {tag}"),
            (james, f"Same here {tag}"),
            (lily, f"I'll bring the keys {tag}"),
        ]
        for person, body in replies:
            inbound(http, chat, person.phones[0], body)

        qtbot.waitUntil(lambda: all(view.message(b).isValid() for _, b in replies),
                        timeout=WAIT_MS)
        for person, body in replies:
            index = view.message(body)
            expected = f"{person.name} \u00b7 {format_display(person.phones[0])}"
            assert index.data(MessageListModel.AuthorLabelRole) == expected
            assert index.data(MessageListModel.ShowAuthorRole)  # each starts its own run
            assert expected in index.data(Qt.ItemDataRole.AccessibleTextRole)
        qtmodeltester.check(view.panel.model)

        # Our own message names the agent; its tooltip follows its delivery to everyone.
        mine = f"See everyone at 10 {tag}"
        qtbot.keyClicks(view.compose.edit, mine)
        assert "x 3 participants = 3 SMS" in view.compose.counter.text()
        qtbot.keyClick(view.compose.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: view.message(mine).isValid(), timeout=WAIT_MS)
        assert view.message(mine).data(MessageListModel.AuthorLabelRole) == "You"
        qtbot.waitUntil(
            lambda: view.message(mine).data(MessageListModel.StatusRole) == "delivered",
            timeout=WAIT_MS,
        )
        tip = view.message(mine).data(Qt.ItemDataRole.ToolTipRole)
        assert tip.startswith("Delivered to all 3 participants")
        for person, _ in replies:
            assert f"{person.name} {format_display(person.phones[0])}: delivered" in tip
        # Inbound messages have no delivery line.
        assert view.message(replies[0][1]).data(Qt.ItemDataRole.ToolTipRole) == ""

        # A failure says so for each participant, with the carrier's reason.
        failing = f"This one fails #fail {tag}"
        view.compose.edit.setPlainText(failing)
        view.compose.submit()
        qtbot.waitUntil(
            lambda: view.message(failing).data(MessageListModel.StatusRole) == "failed",
            timeout=WAIT_MS,
        )
        tip = view.message(failing).data(Qt.ItemDataRole.ToolTipRole)
        assert "carrier error 30006" in tip
        assert tip.startswith("Not delivered to any of the 3 participants")
        for person, _ in replies:
            assert f"{person.name} {format_display(person.phones[0])}: failed: " in tip

        # A group send costing more than 3 SMS asks first: 2 segments x 3 people = 6.
        long_text = f"{'Inspection notes: all good. ' * 7}{tag}"
        view.compose.edit.setPlainText(long_text)
        assert "2 SMS segments (GSM-7) x 3 participants = 6 SMS" in view.compose.counter.text()
        view.compose.submit()
        box = view.compose.findChild(QMessageBox, "groupSendConfirm")
        assert box is not None
        assert box.isVisible()
        assert "6 SMS" in box.text()
        send = box.findChild(QAbstractButton, "groupSendConfirmSend")
        assert send is not None
        qtbot.mouseClick(send, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: view.message(long_text).isValid(), timeout=WAIT_MS)
        assert view.compose.text() == ""


def test_stop_blocks_the_chat_and_the_banner_offers_a_new_chat_without_them(
    qtbot: QtBot,
    module_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    chat_view: Any,
) -> None:
    number = NUMBERS
    with api(module_backend) as http:
        maria = new_person(http, "Maria Gonzalez", number())
        james = new_person(http, "James Whitaker", number(), number())
        lily = new_person(http, "Lily Chen", number())
        chat = new_chat(http, [(maria, maria.phones[0]), (james, james.phones[1]),
                               (lily, lily.phones[0])])
        view = synced_chat_view(qtbot, module_backend, make_workspace, chat_view, chat)
        banner = view.panel.findChild(QWidget, "blockedBanner")
        assert banner is not None
        assert not banner.isVisible()
        assert view.compose.edit.isEnabled()
        qtbot.keyClicks(view.compose.edit, "draft")

        inbound(http, chat, james.phones[1], "STOP")

        qtbot.waitUntil(lambda: banner.isVisible(), timeout=WAIT_MS)
        text = banner.findChild(QWidget, "blockedBannerText")
        assert text is not None
        assert "James Whitaker" in text.text()  # type: ignore[attr-defined]
        assert "Do Not Disturb" in text.text()  # type: ignore[attr-defined]
        assert "James Whitaker" in banner.accessibleName()
        qtbot.waitUntil(lambda: "DND" in view.tags_of("James Whitaker"), timeout=WAIT_MS)
        # The STOP itself shows in the chat, by its author.
        stop = view.message("STOP")
        assert stop.isValid()
        assert stop.data(MessageListModel.AuthorLabelRole) == (
            f"James Whitaker \u00b7 {format_display(james.phones[1])}"
        )

        # Readable, not writable: compose is disabled, says why and takes no focus.
        compose = view.compose
        assert not compose.edit.isEnabled()
        assert compose.edit.focusPolicy() == Qt.FocusPolicy.NoFocus
        compose.edit.setFocus()
        assert not compose.edit.hasFocus()
        assert not compose.send_button.isEnabled()
        assert "James Whitaker" in compose.error.text()
        assert not compose.submit()

        # The way on: a new chat from the same number with the others.
        button = banner.findChild(QAbstractButton, "newGroupWithoutButton")
        assert button is not None
        assert button.isVisible()
        assert "James Whitaker" in button.text()
        with qtbot.waitSignal(view.panel.newGroupWithout) as emitted:
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert emitted.args == [
            chat.number_id,
            [(maria.id, maria.phones[0]), (lily.id, lily.phones[0])],
            chat.id,
        ]

        # DND off again: the chat is live, the banner goes, compose comes back.
        assert http.patch(f"/v1/contacts/{james.id}", json={"dnd": False}).status_code == 200
        # The banner follows the participant's DND (a contact event), compose the chat's own
        # status (a conversation event): two feed events, so wait for both.
        qtbot.waitUntil(lambda: not banner.isVisible() and compose.edit.isEnabled(),
                        timeout=WAIT_MS)
        assert compose.send_button.isEnabled()  # the draft is still there
        assert compose.text() == "draft"


def test_a_chat_on_a_number_the_user_may_not_send_from_is_read_only(
    qtbot: QtBot,
    module_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    chat_view: Any,
) -> None:
    number = NUMBERS
    with api(module_backend) as http:
        maria = new_person(http, "Maria Gonzalez", number())
        james = new_person(http, "James Whitaker", number())
        # Diego's line: Priya (a user, all data) sees the chat but may not send from it.
        chat = new_chat(http, [(maria, maria.phones[0]), (james, james.phones[0])],
                        number_label="Diego's line")
        inbound(http, chat, maria.phones[0], "Is the house still available?")
        view = synced_chat_view(
            qtbot, module_backend, make_workspace, chat_view, chat,
            email="priya.agent@demo.example", password=DEMO_PASSWORD,
        )
        qtbot.waitUntil(lambda: view.message("Is the house still available?").isValid(),
                        timeout=WAIT_MS)
        compose = view.compose
        assert not compose.edit.isEnabled()
        assert compose.edit.focusPolicy() == Qt.FocusPolicy.NoFocus
        assert not compose.send_button.isEnabled()
        assert "You may not send from Diego's line" in compose.error.text()
        assert "read" in compose.error.text()
        banner = view.panel.findChild(QWidget, "blockedBanner")
        assert banner is not None
        assert not banner.isVisible()  # not blocked: just not hers
        assert len(view.chips()) == 2


def test_in_app_conversations_count_no_sms_segments(
    qtbot: QtBot,
    demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    chat_view: Any,
) -> None:
    workspace = make_workspace(demo_backend)
    wait_first_sync(qtbot, workspace)
    rows = workspace.conversations.list_conversations()
    in_app = next(r for r in rows if r.kind == "in_app")
    direct = next(r for r in rows if r.kind == "direct" and r.status != "blocked")
    view: ChatView = chat_view(workspace)
    view.open(in_app.id)
    assert not view.chips()
    view.compose.edit.setPlainText("😀" * 67)  # (QTest cannot type astral characters)
    assert view.compose.counter.text() == "67 chars - In-app message"
    view.open(direct.id)
    view.compose.edit.setPlainText("😀" * 67)
    assert view.compose.counter.text() == "67 chars - 3 SMS segments (UCS-2)"
    header_row = view.panel.findChild(QWidget, "participantRow")
    assert header_row is not None
    assert not header_row.isVisible()


def test_updated_says_what_changed_and_a_renamed_participant_stays_in_a_new_chat(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    module_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    chat_view: Any,
) -> None:
    number = NUMBERS
    with api(module_backend) as http:
        maria = new_person(http, "Maria Lopez", number(), number())
        james = new_person(http, "James Whitaker", number())
        lily = new_person(http, "Lily Chen", number())
        chat = new_chat(http, [(maria, maria.phones[0]), (james, james.phones[0]),
                               (lily, lily.phones[0])])
        view = synced_chat_view(qtbot, module_backend, make_workspace, chat_view, chat)
        toggle = view.panel.findChild(QAbstractButton, "participantPanelToggle")
        assert toggle is not None
        qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
        assert view.tags_of("Maria Lopez") == []

        # Renamed in the console's contact editor (its service): Updated at once, and the tag's
        # tooltip says what changed; she is still texted at her primary number.
        view.workspace.contacts.edit(maria.id, name="Maria Gonzalez")
        qtbot.waitUntil(lambda: view.tags_of("Maria Gonzalez") == ["Updated"], timeout=WAIT_MS)
        row = view.participant_row("Maria Gonzalez")
        meaning = row.data(ParticipantListModel.TagMeaningsRole)["Updated"]
        assert "Name was Maria Lopez" in meaning
        assert "no longer on the contact" not in meaning
        assert "primary number" in row.data()
        list_view = view.participant_list()
        assert isinstance(list_view, QListView)  # the delegate measures a list
        delegate = view.panel.participant_panel.delegate
        centers = delegate.tag_centers(list_view, row)
        assert delegate.tag_tooltip_at(list_view, row, centers["Updated"]) == meaning
        assert "Name was Maria Lopez" in row.data(Qt.ItemDataRole.ToolTipRole)
        qtmodeltester.check(list_view.model())
        # The server agrees once the edit reached it.
        qtbot.waitUntil(
            lambda: not view.workspace.contacts.contact(maria.id).pending,  # type: ignore[union-attr]
            timeout=WAIT_MS,
        )
        served = http.get(f"/v1/group-chats/{chat.id}").json()["participants"]
        assert [p["tags"] for p in served] == [["updated"], [], []]

        # A number added through the API: Updated, saying which.
        added = number()
        patched = http.patch(f"/v1/contacts/{lily.id}", json={"phones": [
            {"number": lily.phones[0], "label": "primary"},
            {"number": added, "label": "secondary"}]})
        assert patched.status_code == 200, patched.text
        qtbot.waitUntil(lambda: view.tags_of("Lily Chen") == ["Updated"], timeout=WAIT_MS)
        lily_meaning = view.participant_row("Lily Chen").data(
            ParticipantListModel.TagMeaningsRole)["Updated"]
        assert f"{format_display(added)} added to the contact" in lily_meaning
        assert "no longer on the contact" not in lily_meaning

        # James texts STOP: the new chat without him keeps Maria and Lily, whose only changes
        # are a name and an extra number (the creation rules refuse neither).
        inbound(http, chat, james.phones[0], "STOP")
        banner = view.panel.findChild(QWidget, "blockedBanner")
        assert banner is not None
        qtbot.waitUntil(lambda: banner.isVisible(), timeout=WAIT_MS)
        button = banner.findChild(QAbstractButton, "newGroupWithoutButton")
        assert button is not None
        with qtbot.waitSignal(view.panel.newGroupWithout) as emitted:
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert emitted.args == [
            chat.number_id,
            [(maria.id, maria.phones[0]), (lily.id, lily.phones[0])],
            chat.id,
        ]
