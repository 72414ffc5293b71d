"""The demo data set: staff, lines, people and a few days of real-estate texting.

Numbers use the fictional 555-01xx ranges (valid to `phonenumbers`, never assigned to anyone)
and Ofcom's drama range for the UK number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from console.protocol.demo import DEMO_ADMIN_EMAIL


@dataclass(frozen=True)
class StaffSeed:
    key: str
    email: str
    name: str
    role: str
    data_access: str


@dataclass(frozen=True)
class NumberSeed:
    key: str
    e164: str
    label: str
    is_default: bool = False
    assigned_to: str | None = None  # a StaffSeed key


@dataclass(frozen=True)
class ContactSeed:
    name: str
    phone: str
    secondary: str | None = None
    email: str | None = None
    dnd: bool = False
    assigned_to: str | None = None  # a StaffSeed key


@dataclass(frozen=True)
class ThreadSeed:
    contact: str  # a ContactSeed name
    line: str  # a NumberSeed key
    hours_ago: float  # when the last message was
    unread: int  # trailing inbound messages left unread
    lines: list[tuple[str, str]] = field(default_factory=list)  # ("in"|"out", text)
    author: str = "ava"  # staff who wrote the outbound lines


@dataclass(frozen=True)
class GroupChatSeed:
    title: str
    line: str  # a NumberSeed key
    participants: list[tuple[str, str]]  # (ContactSeed name, "primary"|"secondary")
    hours_ago: float
    unread: int
    lines: list[tuple[str, str]]  # ("out" or a participant's name, text)
    author: str = "ava"


STAFF = [
    StaffSeed("ava", DEMO_ADMIN_EMAIL, "Ava Thompson", "admin", "all"),
    StaffSeed("marcus", "marcus.admin@demo.example", "Marcus Reed", "admin", "all"),
    StaffSeed("priya", "priya.agent@demo.example", "Priya Shah", "user", "all"),
    StaffSeed("diego", "diego.agent@demo.example", "Diego Alvarez", "user", "assigned"),
]

NUMBERS = [
    NumberSeed("main", "+14155550100", "Main office", is_default=True),
    NumberSeed("diego", "+14155550101", "Diego's line", assigned_to="diego"),
    NumberSeed("listings", "+14155550102", "Listings hotline"),
]

CONTACTS = [
    ContactSeed("Maria Gonzalez", "+14155550111", email="maria.gonzalez@example.com"),
    ContactSeed("James Whitaker", "+12125550112", "+16465550113", "jwhitaker@example.com"),
    ContactSeed("Aisha Patel", "+13105550114", email="aisha.patel@example.com"),
    ContactSeed("Tom Nguyen", "+16175550115", "+16175550116"),
    ContactSeed("Emily Carter", "+14165550142", email="emily.carter@example.ca"),
    ContactSeed("Oliver Bennett", "+442079460123", email="oliver.bennett@example.co.uk"),
    ContactSeed("Hannah Kim", "+15125550117", email="hannah.kim@example.com", assigned_to="diego"),
    ContactSeed("Robert Johnson", "+17735550118", "+13125550119", assigned_to="diego"),
    ContactSeed("Sofia Rossi", "+12065550120", assigned_to="diego"),
    ContactSeed("Liam O'Connor", "+13035550121", assigned_to="diego"),
    ContactSeed("Grace Liu", "+13055550122", "+13055550123", assigned_to="diego"),
    ContactSeed("Noah Williams", "+14045550124", assigned_to="diego"),
    ContactSeed("Chloe Martin", "+17025550125", email="chloe.martin@example.com"),
    ContactSeed("Ethan Brooks", "+15035550126"),
    ContactSeed("Zoe Fischer", "+16195550127", "+18585550128"),
    ContactSeed("Daniel Cohen", "+13125550129", email="dcohen@example.com"),
    ContactSeed("Isabella Moreau", "+17185550130"),
    ContactSeed("Lucas Silva", "+12135550131", assigned_to="priya"),
    ContactSeed("Mia Andersson", "+14805550132", assigned_to="priya"),
    ContactSeed("Benjamin Clark", "+19715550133", "+19715550134"),
    ContactSeed("Harper Lewis", "+18585550135", dnd=True),
    ContactSeed("Samuel Ortiz", "+14075550136", dnd=True, assigned_to="diego"),
    ContactSeed("Ella Rahman", "+16155550137", dnd=True),
    ContactSeed("Jack Murphy", "+17205550138"),
    ContactSeed("Ava Dubois", "+16045550188", email="ava.dubois@example.ca"),
    ContactSeed("Henry Walker", "+15105550139"),
    ContactSeed("Lily Chen", "+14155550140", "+15105550141", "lily.chen@example.com"),
    ContactSeed("Mason Wright", "+12125550143"),
    ContactSeed("Amelia Scott", "+16465550144"),
    ContactSeed("Logan Price", "+13105550145", email="logan.price@example.com"),
    ContactSeed("Nora Jensen", "+16175550146"),
    ContactSeed("Caleb Foster", "+15125550147", "+15125550148"),
    ContactSeed("Layla Haddad", "+17735550149"),
    ContactSeed("Owen Turner", "+12065550150"),
    ContactSeed("Ruby Sanders", "+13035550151", email="ruby.sanders@example.com"),
    ContactSeed("Elijah Ward", "+13055550152"),
    ContactSeed("Stella Kowalski", "+14045550153"),
    ContactSeed("Isaac Romero", "+17025550154", "+17025550155"),
    ContactSeed("Violet Hughes", "+15035550156"),
    ContactSeed("Gabriel Costa", "+16195550157"),
]

THREADS = [
    ThreadSeed("Maria Gonzalez", "main", hours_ago=0.4, unread=1, lines=[
        ("in", "Hi! I saw the 3-bedroom on Oak Street online. Is it still available?"),
        ("out", "Hi Maria, yes it is! Would you like to see it this week?"),
        ("in", "That would be great. Thursday after 5 works best for me."),
        ("out", "Thursday at 5:30 is booked. I'll meet you at the front door."),
        ("in", "Perfect. Is there parking nearby?"),
    ]),
    ThreadSeed("James Whitaker", "main", hours_ago=3, unread=0, author="marcus", lines=[
        ("out", "Hi James, the comps for your street came in. I'd suggest listing at $1.2M."),
        ("in", "Hmm, I was hoping for closer to 1.3."),
        ("out", "Understood. With the kitchen update we can justify $1.25M. Want to talk it over?"),
        ("in", "Yes, call me tomorrow morning."),
        ("out", "Will do. I'll also book the photographer for Saturday."),
    ]),
    ThreadSeed("Aisha Patel", "listings", hours_ago=6, unread=2, lines=[
        ("out", "Aisha, your offer on 42 Maple Ave has been submitted."),
        ("in", "Thank you! How long do they usually take to respond?"),
        ("out", "Usually 24-48 hours. I'll text you as soon as I hear back."),
        ("in", "Any news on the counteroffer?"),
        ("in", "Sorry to bug you, we're just really excited about this one."),
    ]),
    ThreadSeed("Tom Nguyen", "main", hours_ago=20, unread=0, author="priya", lines=[
        ("in", "Hi, the dishwasher in unit 4B is leaking again."),
        ("out", "Sorry about that, Tom. I've asked our plumber to come by tomorrow 9-11am."),
        ("in", "Thanks, someone will be home."),
        ("out", "The plumber replaced the hose. Let us know if you see any more water."),
        ("in", "All dry now. Thanks for the quick fix!"),
    ]),
    ThreadSeed("Emily Carter", "main", hours_ago=30, unread=0, lines=[
        ("in", "Hello from Toronto! We're relocating to SF in the spring."),
        ("out", "Welcome, Emily! What neighbourhoods are you considering?"),
        ("in", "Noe Valley or Bernal Heights. Could we do a video tour?"),
        ("out", "Absolutely. I can do a FaceTime walkthrough of two listings on Monday."),
    ]),
    ThreadSeed("Oliver Bennett", "listings", hours_ago=52, unread=1, lines=[
        ("in", "Good evening, is the Russian Hill condo open to overseas buyers?"),
        ("out", "Hi Oliver, yes. I can connect you with a lender who works with UK buyers."),
        ("in", "Brilliant. I'm 8 hours ahead, so mornings your time are best."),
    ]),
    ThreadSeed("Hannah Kim", "diego", hours_ago=5, unread=1, author="diego", lines=[
        ("out", "Hi Hannah, the closing documents are ready for your review."),
        ("in", "Great, do I need to sign in person?"),
        ("out", "E-sign is fine for most of them; the deed needs a notary."),
        ("in", "Got it. Can we do the notary on Friday?"),
    ]),
    ThreadSeed("Robert Johnson", "diego", hours_ago=70, unread=0, author="diego", lines=[
        ("out", "Robert, the home inspection is scheduled for Tuesday at 10am."),
        ("in", "Thanks. Should I be there?"),
        ("out", "It's a good idea, the inspector walks you through the findings at the end."),
        ("in", "OK, see you there."),
    ]),
]

# Group SMS chats. The last one is blocked: Harper texted STOP after it was made (her DND is
# on, audited as that keyword), so reading works and sending does not.
GROUP_CHATS = [
    GroupChatSeed(
        "Oak Street closing", "main",
        [("Maria Gonzalez", "primary"), ("James Whitaker", "secondary"),
         ("Lily Chen", "primary")],
        hours_ago=1.5, unread=0, lines=[
            ("out", "Hi all, I made this group so we can coordinate the Oak Street closing."),
            ("Maria Gonzalez", "Thanks! Is Friday at 10am still the plan?"),
            ("James Whitaker", "10 works for me. I'll bring the signed disclosures."),
            ("Lily Chen", "Title documents will be ready by 9:30."),
            ("out", "Perfect, see everyone at 10 at the title office on Market St."),
        ]),
    GroupChatSeed(
        "Johnson inspection", "diego",
        [("Robert Johnson", "secondary"), ("Grace Liu", "secondary"),
         ("Hannah Kim", "primary")],
        hours_ago=8, unread=1, author="diego", lines=[
            ("out", "Robert, Grace, Hannah: the inspector arrives Tuesday at 10am."),
            ("Robert Johnson", "Thanks Diego. Can Grace let the inspector in if I'm late?"),
            ("Grace Liu", "Sure, I'll be there from 9:45."),
            ("Hannah Kim", "I'll join around 11 for the walkthrough."),
        ]),
    GroupChatSeed(
        "42 Maple Ave offer", "listings",
        [("Aisha Patel", "primary"), ("Harper Lewis", "primary"), ("Tom Nguyen", "primary")],
        hours_ago=26, unread=0, lines=[
            ("out", "Aisha, Harper, Tom: the sellers accepted the offer on 42 Maple Ave!"),
            ("Aisha Patel", "Amazing news!!"),
            ("Tom Nguyen", "Congrats! When do we schedule the appraisal?"),
            ("Harper Lewis", "STOP"),
        ]),
]
