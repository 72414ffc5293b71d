"""The window's pages (objectName `pages`): a stack with one `show…Action` and rail button each.

    pages = Pages(rail, window)
    action = pages.add_page("contacts", "C&ontacts", "Ctrl+2", "nav-contacts", make_page,
                            object_name="showContactsAction")
    view_menu.addAction(action)        # the View menu holds the same action as the rail
    pages.show_page("contacts")        # what triggering the action does

A page's widget is made by its factory the first time it is shown, so pages that pull in more of
the services (SQLAlchemy, the contact search) cost nothing at start. Triggering an action makes
its page current (ARCHITECTURE.md "Stable object names"); Groups, Group messages and History
join later with Ctrl+3..5 through the same call.
"""

from __future__ import annotations

from collections.abc import Callable

from console.ui.i18n import in_source_language, translate
from console.ui.nav_rail import NavRail
from console.ui.qt import QAction, QKeySequence, QStackedWidget, Qt, QWidget, Signal
from console.ui.theme import icon

PageFactory = Callable[[], QWidget]


class Pages(QStackedWidget):
    pageChanged = Signal(str)  # the key of the page now current

    def __init__(self, rail: NavRail, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("pages")
        self._rail = rail
        self._actions: dict[str, QAction] = {}
        self._factories: dict[str, PageFactory] = {}
        self._widgets: dict[str, QWidget] = {}
        self._current = ""

    def add_page(
        self, key: str, text: str, shortcut: str, icon_name: str, factory: PageFactory, *,
        object_name: str,
    ) -> QAction:
        """The page `key`'s action (`object_name`: one of ARCHITECTURE.md's stable names,
        spelled out where it is used so it can be found) and rail button."""
        action = QAction(text, self.window())
        action.setObjectName(object_name)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setIcon(icon(icon_name))
        plain = text.replace("&", "")
        native = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{plain} ({native})")
        # "Show contacts": lower case in English; another language keeps the page's own case.
        page = plain.lower() if in_source_language() else plain
        action.setStatusTip(translate("Pages", "Show {page}").format(page=page))
        action.triggered.connect(lambda _checked=False: self.show_page(key))
        self._rail.add_page(key, action)
        self._actions[key] = action
        self._factories[key] = factory
        if not self._current:
            self.show_page(key)
        return action

    def action(self, key: str) -> QAction:
        return self._actions[key]

    def page(self, key: str) -> QWidget | None:
        """The page's widget if it was made (shown at least once)."""
        return self._widgets.get(key)

    def made(self) -> dict[str, QWidget]:
        return dict(self._widgets)

    def current_key(self) -> str:
        return self._current

    def show_page(self, key: str) -> QWidget:
        widget = self._widgets.get(key)
        if widget is None:
            widget = self._factories[key]()
            self._widgets[key] = widget
            self.addWidget(widget)
        self.setCurrentWidget(widget)
        self._actions[key].setChecked(True)
        if key != self._current:
            self._current = key
            self.pageChanged.emit(key)
        return widget
