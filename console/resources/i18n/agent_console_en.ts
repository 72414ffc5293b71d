<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
    <context>
        <name>AccountMenu</name>
        <message>
            <source>&amp;Add account...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No saved accounts</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sign &amp;out</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Switch &amp;account</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{account} (signed out)</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>AddMembersDialog</name>
        <message numerus="yes">
            <source>%n contact(s) not in the group</source>
            <translation>
                <numerusform>%n contact not in the group</numerusform>
                <numerusform>%n contacts not in the group</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n contact(s) not in the group match “{text}”</source>
            <translation>
                <numerusform>%n contact not in the group match “{text}”</numerusform>
                <numerusform>%n contacts not in the group match “{text}”</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n+ contact(s) not in the group</source>
            <translation>
                <numerusform>%n+ contact not in the group</numerusform>
                <numerusform>%n+ contacts not in the group</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n+ contact(s) not in the group match “{text}”</source>
            <translation>
                <numerusform>%n+ contact not in the group match “{text}”</numerusform>
                <numerusform>%n+ contacts not in the group match “{text}”</numerusform>
            </translation>
        </message>
        <message>
            <source>Add</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Add %n</source>
            <translation>
                <numerusform>Add %n</numerusform>
                <numerusform>Add %n</numerusform>
            </translation>
        </message>
        <message>
            <source>Add members</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add members to {group}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add members to “{group}”</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Adding: {names}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Adds the chosen contacts to the group.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Check the people to add. Space or a click checks a row.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Closes this window without adding anyone.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Everyone in your contacts is already in this group.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No contact outside the group matches “{text}”.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search by name, number or email</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search contacts to add</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Searching failed. Close this window and try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Shows only the contacts whose name, number or email has these words.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>{names} and %n more</source>
            <translation>
                <numerusform>{names} and %n more</numerusform>
                <numerusform>{names} and %n more</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>AddableList</name>
        <message>
            <source>Contacts not yet in the group. Space chooses or unchooses one.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Contacts to add</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>AppController</name>
        <message numerus="yes">
            <source>%n change(s) (has|have) not reached the server yet.</source>
            <translation>
                <numerusform>%n change has not reached the server yet.</numerusform>
                <numerusform>%n changes have not reached the server yet.</numerusform>
            </translation>
        </message>
        <message>
            <source>Add account</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Could not start.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Demo data lives in your data folder; nothing leaves this machine.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not signed in.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Opening your cached conversations...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Opening your conversations...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Opening {account}...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sign in again</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sign in again, or switch account.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sign in from File &gt; Switch account, or restart with --demo to try it out.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sign in to a backend to start.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sign out</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sign out with changes not sent?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Signed out.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Signing out...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Starting the demo backend was cancelled.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Starting the demo backend...</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>The demo backend did not start within %n second(s). Its last output:</source>
            <translation>
                <numerusform>The demo backend did not start within %n second. Its last output:</numerusform>
                <numerusform>The demo backend did not start within %n seconds. Its last output:</numerusform>
            </translation>
        </message>
        <message>
            <source>The server no longer accepts your sign-in (it expired, your password was changed or your account was switched off). Sign in again to keep syncing; your cached conversations stay.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>They stay in this computer's copy and go out the next time you sign in to this account. Sign out anyway?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{error}. The log file has details.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>BlockedBanner</name>
        <message>
            <source>&lt;b&gt;Sending is blocked:&lt;/b&gt; {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;Sending is blocked:&lt;/b&gt; {who} has Do Not Disturb on (for example after replying STOP), and a group chat cannot text anyone who opted out.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;Sending is blocked:&lt;/b&gt; {who} have Do Not Disturb on (for example after replying STOP), and a group chat cannot text anyone who opted out.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New group chat</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>New group chat without these %n</source>
            <translation>
                <numerusform>New group chat without these %n</numerusform>
                <numerusform>New group chat without these %n</numerusform>
            </translation>
        </message>
        <message>
            <source>New group chat without {name}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Open “{title}”</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Open “{title}” (blocked too)</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Opens a new group chat from the same number with the %n other participant(s) who can still be texted; you can add people there.</source>
            <translation>
                <numerusform>Opens a new group chat from the same number with the %n other participant who can still be texted; you can add people there.</numerusform>
                <numerusform>Opens a new group chat from the same number with the %n other participants who can still be texted; you can add people there.</numerusform>
            </translation>
        </message>
        <message>
            <source>Opens the group chat started instead of this one. To start yet another from this chat, right-click it in the list: New group chat with these people.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The conversation goes on in “{title}”, started instead of this one.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The conversation went on in “{title}”, which is blocked too: open it to start a new chat from there.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This chat cannot be texted.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>You can still read it; the conversation goes on in “{title}”, started instead of this one.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>You can still read it; the conversation went on in “{title}”, which is blocked too: open it to start a new chat from there.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>You can still read it; to keep texting the others, start a new group chat without them.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{names} and {last}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Chip</name>
        <message>
            <source>Remove {name}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ChosenChips</name>
        <message>
            <source>Nobody yet: check people below.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ComplianceDialog</name>
        <message>
            <source> (saving…)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Added to the first text each conversation gets from the number, and counted in its size before it is sent. It must say how to opt out (STOP).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Added to the first text each conversation gets from this number; it must say how to opt out (STOP). Empty: no hint.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Back to the default</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Business number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Closes the compliance settings; what was saved stays.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Compliance settings</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Empty: no hint is added</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Everyone: {start}–{end} where the person is. A state's own window applies to its numbers where it is stricter.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>From</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>From this time of day texts to the state's numbers wait until the next morning.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No business numbers yet.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Off: texts from this number go as written.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>On: the first text of each conversation from this number ends with it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Opt-out hint</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Opt-out hint on first texts</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Puts in the usual wording: “{hint}”</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Quiet hours by state</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Removes the chosen state's own window: everyone's hours apply there again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Save hint</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Saves the hint for this number: first texts from it carry it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Saving…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Set window</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sets this window for the chosen state's numbers.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>State or province</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>States and provinces whose own quiet hours apply to their numbers; choose one to change it or go back to the default.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>States with their own window</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The business number whose first texts get the hint.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The earliest time of day a text may reach the state's numbers.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The state or province whose numbers get the window.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Until</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Usual wording</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>from</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>until</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{state}: {start}–{end}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ComplianceSettings</name>
        <message>
            <source>Choose a US state or Canadian province.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>It could not be saved here. Nothing changed; try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The hint is too long: at most {count} characters.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The hint must say how to opt out, with the word STOP (for example “Reply STOP to opt out.”).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The window must end after it starts.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ComposeEdit</name>
        <message>
            <source>Message text</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Type a message. Ctrl+Enter sends.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ComposeWidget</name>
        <message numerus="yes">
            <source>%n SMS segment(s)</source>
            <translation>
                <numerusform>%n SMS segment</numerusform>
                <numerusform>%n SMS segments</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n char(s)</source>
            <translation>
                <numerusform>%n char</numerusform>
                <numerusform>%n chars</numerusform>
            </translation>
        </message>
        <message>
            <source>Add internal note</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add note</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add note (Ctrl+Enter)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose a date and time; the server sends the message then.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Every participant gets every segment, and each is billed. Send it?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Insert a template… (Ctrl+T)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Insert template</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Internal note</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Internal note (Ctrl+Shift+N)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Internal note · not sent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Message size</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Pick a saved text; names and numbers fill in for this conversation.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Schedule for later… (Ctrl+Shift+Enter)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Schedule message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Send</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Send (Ctrl+Enter)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Send error</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Send message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Send to the whole group?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sending is not possible in this conversation.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The message could not be saved. Your text is kept; try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The note could not be saved. Your text is kept; try again.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>This message goes out as {total} SMS: {parts} to each of %n participants.</source>
            <translation>
                <numerusform>This message goes out as {total} SMS: {parts} to each of %n participants.</numerusform>
                <numerusform>This message goes out as {total} SMS: {parts} to each of %n participants.</numerusform>
            </translation>
        </message>
        <message>
            <source>Write a message…  (Ctrl+Enter to send)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Write a note only your team sees; it is sent to nobody.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Write an internal note — only your team sees it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{chars} - In-app message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{chars} - {segments} ({encoding})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{counter} - over the {limit}-character limit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{counter} - with the opt-out hint</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>{counter} x %n participants = {total} SMS</source>
            <translation>
                <numerusform>{counter} x %n participants = {total} SMS</numerusform>
                <numerusform>{counter} x %n participants = {total} SMS</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ContactEditor</name>
        <message>
            <source>&amp;Assigned to</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Delete contact…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Email</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Primary number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Secondary number</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>A contact has at most %n number(s).</source>
            <translation>
                <numerusform>A contact has at most %n number.</numerusform>
                <numerusform>A contact has at most %n numbers.</numerusform>
            </translation>
        </message>
        <message>
            <source>A contact needs a name.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>A name has at most %n character(s).</source>
            <translation>
                <numerusform>A name has at most %n character.</numerusform>
                <numerusform>A name has at most %n characters.</numerusform>
            </translation>
        </message>
        <message>
            <source>Another number of theirs, if any.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Another user</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Assigned user</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Closes this window without saving.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Contact editor</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Deletes this contact, after asking you to confirm.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Do Not Disturb: send this contact no messages</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Edit contact</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Email</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>For a number outside the US and Canada, start with + and the country code.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Full name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Give a primary number before a secondary one.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New contact</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not an email address: give one address like name@example.com.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not saved: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nothing to change.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Optional</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Primary number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Saves the contact and closes this window.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Secondary number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The number messages to them go to.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The same number as the primary one.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The same number is listed twice.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The user on your team who looks after this contact.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Their email address, if you have it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Their name, as the lists show it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This is not a valid number; check the area code.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Too short: a US or Canada number has 10 digits.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Type a number.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Unassigned</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Use digits only (a + first for another country).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>When on, the console sends this contact no message at all.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>name@example.com (optional)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>unknown region</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{hint} (group SMS chats take US and Canada numbers only)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{name} already has this number; a number belongs to one contact.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{number} · {region}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ContactImport</name>
        <message numerus="yes">
            <source>%n DND</source>
            <translation>
                <numerusform>%n DND</numerusform>
                <numerusform>%n DND</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n contact(s)</source>
            <translation>
                <numerusform>%n contact</numerusform>
                <numerusform>%n contacts</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n duplicate(s)</source>
            <translation>
                <numerusform>%n duplicate</numerusform>
                <numerusform>%n duplicates</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n invalid number(s)</source>
            <translation>
                <numerusform>%n invalid number</numerusform>
                <numerusform>%n invalid numbers</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n outside US/Canada</source>
            <translation>
                <numerusform>%n outside US/Canada</numerusform>
                <numerusform>%n outside US/Canada</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n to import</source>
            <translation>
                <numerusform>%n to import</numerusform>
                <numerusform>%n to import</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n without name or number</source>
            <translation>
                <numerusform>%n without name or number</numerusform>
                <numerusform>%n without name or number</numerusform>
            </translation>
        </message>
        <message>
            <source>A CSV file (from a spreadsheet or another app, saved as CSV) or a vCard file (.vcf) from a phone or address book. Nothing is imported until you have seen every row.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>All files (*)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Already a contact</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Back</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Check rows</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Checking %n row(s)…</source>
            <translation>
                <numerusform>Checking %n row…</numerusform>
                <numerusform>Checking %n rows…</numerusform>
            </translation>
        </message>
        <message>
            <source>Choose a file of contacts</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose file…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Close</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Closes the dialog; nothing is imported unless you started it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Column</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Columns of the file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Contacts (*.csv *.vcf *.vcard *.txt)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Contacts it made that were deleted since stay deleted. Conversations with them stay readable.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Delete the %n contact(s) imported from {file}?</source>
            <translation>
                <numerusform>Delete the %n contact imported from {file}?</numerusform>
                <numerusform>Delete the %n contacts imported from {file}?</numerusform>
            </translation>
        </message>
        <message>
            <source>Deletes every contact this import made (asks first).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Do Not Disturb (yes/no)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Don't import</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Each column of the file with examples from it, what it is imported as and the label its numbers get.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Each row of the file: its name, numbers and what happens to it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Email</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Example</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>First name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Full name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Goes back a step; nothing is imported.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Home</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Import %n contact(s)</source>
            <translation>
                <numerusform>Import %n contact</numerusform>
                <numerusform>Import %n contacts</numerusform>
            </translation>
        </message>
        <message>
            <source>Import as</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Import column “{column}” as</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Import contacts</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Import contacts: check the rows</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Import contacts: choose a file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Import contacts: what is in each column</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Imported</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Imported %n contact(s).</source>
            <translation>
                <numerusform>Imported %n contact.</numerusform>
                <numerusform>Imported %n contacts.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Importing %n contact(s)…</source>
            <translation>
                <numerusform>Importing %n contact…</numerusform>
                <numerusform>Importing %n contacts…</numerusform>
            </translation>
        </message>
        <message>
            <source>Importing…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Imports the rows that can be imported; the others are left out.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Label of the numbers in “{column}”</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Last name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Lists only the rows that will not be imported, and why.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Mobile</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No imports yet.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No name or number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No row can be imported. Fix the file, or say differently what its columns hold.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not a US or Canada number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not a phone number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not an email address</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not imported ({code})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Number label</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Number(s)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Opens a file dialog to choose a CSV or vCard file.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Other</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Phone number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Reading {file}…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Reads every row as the columns say and shows what will be imported.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Recent imports</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Refused</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Result</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Row</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Row {row}: {result}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rows of the file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rows the server skipped</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Same number as an earlier row</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show only rows with a problem</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>That did not work here. Nothing changed; try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The label the numbers in this column get.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The latest imports: their file, when, how many contacts and how each ended.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The rows the server did not import, each with why.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The server checks every row again. You may close this window: the import goes on, and shows in Recent imports.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The server refused this import.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>The server skipped %n row(s):</source>
            <translation>
                <numerusform>The server skipped %n row:</numerusform>
                <numerusform>The server skipped %n rows:</numerusform>
            </translation>
        </message>
        <message>
            <source>The server skipped no row.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>There are no contacts in this file: it needs a header row and at least one row under it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This file could not be read. Choose a CSV file (in a spreadsheet app: Save as CSV) or a vCard file (.vcf).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This file has more than 20,000 rows. Split it into smaller files and import each.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This import cannot be undone now: it is still on its way, was refused, or was undone already.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This import is no longer here.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Undo import</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Undo import?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Undo the import of {file}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Undo this import</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Undoing: its contacts are being deleted…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Undoing…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Undone</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Undone: the contacts it made were deleted.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Undo…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>What the column holds; Ignore leaves it out.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Will be imported</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Work</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>or drop the file here</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>{file}: %n row(s). Say what each column holds; the guesses come from the headers.</source>
            <translation>
                <numerusform>{file}: %n row. Say what each column holds; the guesses come from the headers.</numerusform>
                <numerusform>{file}: %n rows. Say what each column holds; the guesses come from the headers.</numerusform>
            </translation>
        </message>
        <message>
            <source>{reason} Nothing was imported. Refused changes lists it, to try again or discard.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{result}, Do Not Disturb on</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ContactPickerModel</name>
        <message>
            <source>Already chosen</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cannot be added</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Do Not Disturb is on</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No longer available</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No longer one of their numbers</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not a US or Canada number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not a valid number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not assigned to you</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Primary number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Secondary number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>primary number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>secondary number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{label} number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{name}, {label} {number}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{number} is already in this chat.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{number} is no longer on {who}'s card; pick one of their current numbers.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{number} is not a valid phone number.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{number} is outside the US and Canada. Group chats text US and Canada numbers only; pick another of their numbers if they have one.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{row}, {label}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{row}, {label}, cannot be added: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{who} cannot be added to a group chat ({code}).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{who} has Do Not Disturb on, so group chats cannot text them. Turning it off is the contact's decision (they text START).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{who} is not assigned to you. With assigned-only access a group chat may include only your own contacts; ask an admin to assign them to you.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{who} was deleted or is no longer visible to you.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ContactTable</name>
        <message>
            <source>Contacts</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Edit…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Your contacts with their numbers and email. Enter edits one, Delete deletes it; the context menu has more.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ContactTableModel</name>
        <message>
            <source>Assigned to</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>DND</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Do Not Disturb is on: no messages go to this contact</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Do Not Disturb: no messages go to this contact</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Email</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not saved: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Primary number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Secondary number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Someone else</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The server refused this new contact. See View &gt; Refused changes to retry or discard it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This new contact is on its way to the server.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Unassigned</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Updated</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>none</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{column}: {text}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ContactsPage</name>
        <message numerus="yes">
            <source>%n contact(s)</source>
            <translation>
                <numerusform>%n contact</numerusform>
                <numerusform>%n contacts</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n found</source>
            <translation>
                <numerusform>%n found</numerusform>
                <numerusform>%n found</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n group chat(s) (keeps|keep) sending to the number chosen at creation and will show {name} as &lt;b&gt;Deleted&lt;/b&gt;:</source>
            <translation>
                <numerusform>%n group chat keeps sending to the number chosen at creation and will show {name} as &lt;b&gt;Deleted&lt;/b&gt;:</numerusform>
                <numerusform>%n group chats keep sending to the number chosen at creation and will show {name} as &lt;b&gt;Deleted&lt;/b&gt;:</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n+ found</source>
            <translation>
                <numerusform>%n+ found</numerusform>
                <numerusform>%n+ found</numerusform>
            </translation>
        </message>
        <message>
            <source>&lt;b&gt;{chat}&lt;/b&gt; keeps {number}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add a contact (Ctrl+N)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add many contacts at once from a CSV or vCard file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Contact not deleted</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Contacts</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Contacts are the people you text. Add one with New contact (Ctrl+N).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete &lt;b&gt;{name}&lt;/b&gt;?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete contact</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Find contact</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Group chat</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Import…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New contact</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No contact matches</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No contacts yet</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nothing found for “{text}”. Search by part of a name, a number in any format, or an email.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Only the contacts assigned to you</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search by name, number or email</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search contacts</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Shows only the contacts whose name, number or email has these words.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{name} is in no group chat.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{name} leaves the contact list and search. Conversations with them stay readable.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ConversationDelegate</name>
        <message>
            <source>Opt-out?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Pending</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ConversationHeader</name>
        <message>
            <source>Continues {title}: open it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Continues “{title}”</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Filter the participants by name or by part of their number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Hide participants</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No participant matches.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Open “{title}”</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Replaced by {title}: open it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Replaced by “{title}”</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search participants</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show participants</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>via {number}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ConversationListModel</name>
        <message numerus="yes">
            <source>%n participant(s)</source>
            <translation>
                <numerusform>%n participant</numerusform>
                <numerusform>%n participants</numerusform>
            </translation>
        </message>
        <message>
            <source>Group SMS</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>In-app messages</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Pending: it goes live when the server confirms it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>sending is not possible here</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{status}: {reason}.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>{title}, %n unread: {preview}</source>
            <translation>
                <numerusform>{title}, %n unread: {preview}</numerusform>
                <numerusform>{title}, %n unread: {preview}</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ConversationListView</name>
        <message>
            <source>Conversations</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Your conversations, newest first. Enter opens one; the context menu has more.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ConversationMenu</name>
        <message>
            <source>&amp;New group chat with these people...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;New group chat without {names}...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Open</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Participants</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Mark as &amp;unread</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Open the chat with its participant panel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show it as unread again, without opening it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{title}: actions</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ConversationPanel</name>
        <message>
            <source>Hide the person panel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No room for the participants: widen the window</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sending is blocked: {reason}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show the person and groups</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>this chat cannot be texted</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ConversationSearch</name>
        <message>
            <source>Close find</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No matches</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Reached the newest match — continued from the oldest</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Reached the oldest match — continued from the newest</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search failed — try again, or use History (Ctrl+5)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Searching…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>That message is no longer in this conversation</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Type 2+ letters</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{current} of {total}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ConversationSearchBar</name>
        <message>
            <source>Close</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Close (Esc)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Find in conversation</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Matches</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Newer match</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Newer match (Shift+Enter, Shift+F3)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Older match</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Older match (Enter, F3)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Words in this conversation's messages (all of it, not only what is loaded). Enter: older match, Shift+Enter: newer; Esc closes.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>CrashDialog</name>
        <message>
            <source>&amp;Copy details</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Keep working</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Quit Agent Console</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Agent Console ran into a problem</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Closes the console now.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Closes this message and goes on with the console.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Copied</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Copies the details, to paste into a message to support.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Error details</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Hide &amp;details</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>It happened %n times. Restarting Agent Console may help.</source>
            <translation>
                <numerusform>It happened %n times. Restarting Agent Console may help.</numerusform>
                <numerusform>It happened %n times. Restarting Agent Console may help.</numerusform>
            </translation>
        </message>
        <message>
            <source>Nothing has been sent anywhere. To report the bug, copy the details (the error and the log, with passwords and tokens removed) into your report.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Open &amp;log folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Opens the folder with the console's log files.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show &amp;details</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Shows or hides the technical details of the error.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Something went wrong inside Agent Console. This is a bug in Agent Console, not something you did.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>What went wrong, for whoever supports the console.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Your messages are safe: sent and waiting messages are kept in the local cache. You can keep working; if the window misbehaves, quit and start Agent Console again.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>DeleteConfirm</name>
        <message>
            <source>Changes nothing.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Goes ahead, as the text above says.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>DeliveryDetails</name>
        <message>
            <source>Closes these delivery details.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delivery</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delivery to each participant</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{who}: {state}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>DndHistory</name>
        <message>
            <source>Asks the server for the Do Not Disturb history again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Do Not Disturb history</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Each time Do Not Disturb went on or off for this contact, newest first: when, and who or which text message changed it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Loading the history…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No changes yet.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Off</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>On</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The history could not be read: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The history needs the server, which cannot be reached.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The history shows once the server has this contact.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Try again</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>a text message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>a text message from {number}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>at import</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>confirmed opt-out</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>confirmed opt-out by {name}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>set by a team member</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>set by {name}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{date} {time}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{keyword} from {number}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{state} · {when}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{state} · {when} · {what}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{who}: “{words}”</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{who}: “{words}” from {number}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ErrorCode</name>
        <message>
            <source>A group chat has 2 to 9 people besides you.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Another contact already has this number.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Another template already has that name. Choose another.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Group texts go to US and Canada numbers only.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>It has gone out: it cannot be cancelled.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>It is no longer there: someone removed it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Someone changed this meanwhile. Look again, then try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Someone in it has turned on Do Not Disturb.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Something in what you entered is not valid. Check it and try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>That is not a valid phone number.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>That is too long to send.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>That number is no longer one of the contact's numbers.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The list changed. It is read again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The same number is in it twice.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The server does not allow this.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The server ran into a problem. Try again later.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The server refused this.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The server saw a different request under the same key. Try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The text uses a merge field that does not exist. The fields are {first_name}, {last_name}, {agent_name} and {business_number}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This cannot be changed once it is made.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This contact is assigned to someone else.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This group chat is blocked: messages cannot be sent in it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This import was undone already.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This user account is deactivated.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Too many attempts. Wait a moment.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>You cannot deactivate your own account.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>You may not send from this business number.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Your account may not do this.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Your sign-in has ended. Sign in again.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>FilterChip</name>
        <message>
            <source>Remove filter {filter}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Remove the filter {filter}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>FilterChips</name>
        <message>
            <source>Every conversation</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Only SMS chats with several people</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Only SMS conversations with one person</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Only blocked chats: the ones that cannot send</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Only conversations in the customer app</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show {filter}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Formatting</name>
        <message numerus="yes">
            <source>%n SMS segment(s)</source>
            <translation>
                <numerusform>%n SMS segment</numerusform>
                <numerusform>%n SMS segments</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n char(s)</source>
            <translation>
                <numerusform>%n char</numerusform>
                <numerusform>%n chars</numerusform>
            </translation>
        </message>
        <message>
            <source>Today</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Yesterday</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{chars} - {segments} ({encoding})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{counter} - over the {limit}-character limit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{day} {month}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{day} {month} {year}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{weekday} {day} {month}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{weekday} {day} {month} {year}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>GroupEditor</name>
        <message>
            <source>A group chat has 2 to {most} participants.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>A group chat has 2 to {most} participants: remove {extra}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Business number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cancel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Change participants…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Closes this window without creating a chat.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Contacts</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Contacts to put in the chat. Space adds or removes the current one.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Create</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Creates the group chat from the chosen number with the chosen people.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Default number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Discard</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Group chat not created</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Instead of “{title}” ({reason}).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Instead of “{title}”.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>It gave no reason.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Later</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New group chat</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Open it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Opens the chat you already have with these people.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search contacts</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search contacts by name, number or email</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Send from</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Shows only the contacts whose name, number or email has these words.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The business number the chat texts from: only the numbers you may send from.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The local copy could not be read or written. Try again; if it keeps failing, restart the console.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The number and the participants are fixed once the chat is created: messages keep going to the numbers chosen now, even if a contact is later edited or deleted.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The server did not create the group chat.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The server refused the last try: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>To</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>You may not send from any business number, so you cannot start a group chat. Ask an admin to assign you a number.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>You may not send from the number of the chat you started from; the new chat will text from {number}, or choose another.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{name}, {number}, cannot be in it: {reason}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{number} was listed twice; it is in the chat once.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{reason}

Change the participants and try again, or discard it. It also waits in the list of refused changes.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>“{title}” already has these participants on this number.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>GroupListModel</name>
        <message numerus="yes">
            <source>%n member(s)</source>
            <translation>
                <numerusform>%n member</numerusform>
                <numerusform>%n members</numerusform>
            </translation>
        </message>
        <message>
            <source>Not saved: the server refused it. See View &gt; Refused changes to retry or discard it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not saved: {reason}. See View &gt; Refused changes to retry or discard it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This new group is on its way to the server.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{name}, {detail}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>GroupMemberModel</name>
        <message>
            <source>Added</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Email</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Status</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>none</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{column}: {text}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>GroupMessageComposer</name>
        <message>
            <source>A name your team finds the message by. Customers never see the title.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose a group.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose a group…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose when the server sends it, to the group's members of that moment.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose who it is from.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Discard</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Discard the refused group message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Drops the message the server refused; it is not sent.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>For your team's reference only: customers never see the title.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>From</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Give it a title (for your team).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Insert a template (Ctrl+T)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New group message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Pick a saved text; {first_name} and the other fields fill in for each person when it is sent.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Preview in the customer's Message Center</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Retry</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Retry the refused group message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Schedule group message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Schedule…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Send group message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sender</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sends the message the server refused once more.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Send…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sent at once, in the app, to everyone in the group at that moment. It cannot be cancelled.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Shorten the message to {limit} characters.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Shows who it goes to before anything is sent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Template…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The group whose members get the message.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The staff member the customers see the message from</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The text each member of the group reads in the app, under the sender.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Title</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>To group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>What the customer sees</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Write the message the customers will read</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Write the message.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Your message appears here, as the customer will see it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>e.g. Spring open house follow-up</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{length} / {limit} characters</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>{name}  (%n (person|people))</source>
            <translation>
                <numerusform>{name}  (%n person)</numerusform>
                <numerusform>{name}  (%n people)</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>GroupMessageConfirm</name>
        <message numerus="yes">
            <source>%n (person has|people have) no value for a field: {fields}. Their text leaves it out; go back to change the message if it reads oddly.</source>
            <translation>
                <numerusform>%n person has no value for a field: {fields}. Their text leaves it out; go back to change the message if it reads oddly.</numerusform>
                <numerusform>%n people have no value for a field: {fields}. Their text leaves it out; go back to change the message if it reads oddly.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n (person|people)</source>
            <translation>
                <numerusform>%n person</numerusform>
                <numerusform>%n people</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n (person|people) would get an empty text: the fields are all their text, and they have no value for them. Go back and add some words.</source>
            <translation>
                <numerusform>%n person would get an empty text: the fields are all their text, and they have no value for them. Go back and add some words.</numerusform>
                <numerusform>%n people would get an empty text: the fields are all their text, and they have no value for them. Go back and add some words.</numerusform>
            </translation>
        </message>
        <message>
            <source>Back to editing</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Closes this window without sending, to change the message.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Each person gets their own text (%n shown):</source>
            <translation>
                <numerusform>Each person gets their own text (%n shown):</numerusform>
                <numerusform>Each person gets their own text (%n shown):</numerusform>
            </translation>
        </message>
        <message>
            <source>Each person's text</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Integrations (e.g. your help desk) will not receive it; replies to it will.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>It cannot be cancelled, changed or deleted once sent.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>It goes now to %n (person|people): the members of {group} at this moment.</source>
            <translation>
                <numerusform>It goes now to %n person: the members of {group} at this moment.</numerusform>
                <numerusform>It goes now to %n people: the members of {group} at this moment.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>It goes when the connection is back, to the members of {group} at that moment (%n (person|people) now).</source>
            <translation>
                <numerusform>It goes when the connection is back, to the members of {group} at that moment (%n person now).</numerusform>
                <numerusform>It goes when the connection is back, to the members of {group} at that moment (%n people now).</numerusform>
            </translation>
        </message>
        <message>
            <source>Notifications (email, push) go out as configured for your app.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>People added to the group later will not get it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Send group message?</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Send to %n (person|people)</source>
            <translation>
                <numerusform>Send to %n person</numerusform>
                <numerusform>Send to %n people</numerusform>
            </translation>
        </message>
        <message>
            <source>Sends the message to everyone listed. It cannot be taken back.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>“{title}” from {sender}, in each person's in-app Message Center.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>GroupMessageDetail</name>
        <message numerus="yes">
            <source>%n recipient(s): the members when it was sent.</source>
            <translation>
                <numerusform>%n recipient: the members when it was sent.</numerusform>
                <numerusform>%n recipients: the members when it was sent.</numerusform>
            </translation>
        </message>
        <message>
            <source>(deleted group)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>CSV files (*.csv)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Composed {when}  ·  to {group}  ·  from {sender}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Could not save {path}: {reason}. Choose another place.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Export CSV…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Export recipients</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Loading recipients…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No recipients you may see.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not sent yet. Recipients are listed once the server has sent it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not sent yet: the totals follow once the server has sent it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not sent yet: {reason} Recipients are listed once the server has sent it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Reads each recipient's progress again from the server.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Recipients</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Recipients need a connection to the server; the totals above are from the last sync. Connect and press Refresh.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Recipients need a connection to the server; the totals above are from {when}. Connect and press Refresh.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Refresh</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Save the recipients and their progress as a CSV file</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Saved %n recipient(s) to {path}.</source>
            <translation>
                <numerusform>Saved %n recipient to {path}.</numerusform>
                <numerusform>Saved %n recipients to {path}.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Saving %n recipient(s) to {file}…</source>
            <translation>
                <numerusform>Saving %n recipient to {file}…</numerusform>
                <numerusform>Saving %n recipients to {file}…</numerusform>
            </translation>
        </message>
        <message>
            <source>Sent to {count}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sent {when}  ·  to {group}  ·  from {sender}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Someone else</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The recipients could not be loaded; press Refresh to try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The title is for your team; customers see only the message:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Who the message went to and how far it got with each. Enter opens the chat with the chosen one.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>it failed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>recipients</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} delivered</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} notification failures</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} read</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} replied</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{date} {time}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{title} recipients.csv</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>GroupMessagesPage</name>
        <message>
            <source>Counted from the group's member count on the server: your access shows only your own people.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Discarded: nothing was sent. Edit it and send again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Each person's fields fill in when it is sent; the confirmation lists everyone's text first.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Group messages</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>It could not be saved here. Nothing changed; try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>It goes to the members of {group} at that moment, in the app.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New group message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No group messages yet. Write one to reach everyone in a group at once, in the app.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not sent: it was discarded before it reached the server. Your text is still here: check the group and send it again if you want.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not sent: the server refused it. Retry sends it again; Discard drops it and lets you edit it (it is also in View &gt; Refused changes).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not sent: {reason} Retry sends it again; Discard drops it and lets you edit it (it is also in View &gt; Refused changes).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not sent: {reason}. Retry sends it again; Discard drops it and lets you edit it (it is also in View &gt; Refused changes).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Scheduled for {when}. View &gt; Scheduled messages lists it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search sent group messages</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search title, message or group</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Sending to %n (person|people)…</source>
            <translation>
                <numerusform>Sending to %n person…</numerusform>
                <numerusform>Sending to %n people…</numerusform>
            </translation>
        </message>
        <message>
            <source>Sent group messages</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Sent to %n (person|people).</source>
            <translation>
                <numerusform>Sent to %n person.</numerusform>
                <numerusform>Sent to %n people.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Sent to %n (person|people). The group changed before it reached the server: it went to %n (person|people), not the {counted} counted when you confirmed.</source>
            <translation>
                <numerusform>Sent to %n person. The group changed before it reached the server: it went to %n person, not the {counted} counted when you confirmed.</numerusform>
                <numerusform>Sent to %n people. The group changed before it reached the server: it went to %n people, not the {counted} counted when you confirmed.</numerusform>
            </translation>
        </message>
        <message>
            <source>Shows only the sent messages whose title, text or group has these words.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>That conversation is not in this console's copy yet; it appears after the next sync.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The group messages sent, newest first. The chosen one shows who it reached beside the list.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The recipients could not be read here; try again.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>The server last counted %n (person|people) in this group; this console's copy is catching up. The final count shows after sending.</source>
            <translation>
                <numerusform>The server last counted %n person in this group; this console's copy is catching up. The final count shows after sending.</numerusform>
                <numerusform>The server last counted %n people in this group; this console's copy is catching up. The final count shows after sending.</numerusform>
            </translation>
        </message>
        <message>
            <source>Writes one message to every member of a group, in the app.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>You cannot send to this group: it includes people assigned to other agents; only an admin or an agent who may see everyone can send to it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} found</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} sent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{group} has no members: add people on the Groups page first.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>GroupNameDialog</name>
        <message>
            <source>Closes this window without changing anything.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Create group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Description (optional, for your team)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Give the group a name.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Group description</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Group name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Keeps this name and description for the group.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The name the group is listed by.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>What the group is for, for your team. Optional.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>e.g. Spring buyers</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>GroupsPage</name>
        <message numerus="yes">
            <source>%n member(s); you see the {shown} assigned to you</source>
            <translation>
                <numerusform>%n member; you see the {shown} assigned to you</numerusform>
                <numerusform>%n members; you see the {shown} assigned to you</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>&lt;p&gt;&lt;b&gt;%n group message(s) waiting to be sent to it will be dropped: never sent.&lt;/b&gt; The group was not created on the server yet.&lt;/p&gt;</source>
            <translation>
                <numerusform>&lt;p&gt;&lt;b&gt;%n group message waiting to be sent to it will be dropped: never sent.&lt;/b&gt; The group was not created on the server yet.&lt;/p&gt;</numerusform>
                <numerusform>&lt;p&gt;&lt;b&gt;%n group messages waiting to be sent to it will be dropped: never sent.&lt;/b&gt; The group was not created on the server yet.&lt;/p&gt;</numerusform>
            </translation>
        </message>
        <message>
            <source>&lt;p&gt;Group messages already sent to it keep their recipients and stay in the sent list; replies still arrive in each person's own conversation.&lt;/p&gt;</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>&lt;p&gt;Its %n member(s) stay in your contacts. No one is told.&lt;/p&gt;</source>
            <translation>
                <numerusform>&lt;p&gt;Its %n member stay in your contacts. No one is told.&lt;/p&gt;</numerusform>
                <numerusform>&lt;p&gt;Its %n members stay in your contacts. No one is told.&lt;/p&gt;</numerusform>
            </translation>
        </message>
        <message>
            <source>Add members once it is made: it is saved at once and sent to the server as soon as you are online.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add members…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add the customers who should get this group's messages.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Changes the name and description of this group.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose one on the left to see its members.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Create group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Creates a group of contacts, to message or manage together.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete the group &lt;b&gt;{name}&lt;/b&gt;?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Deletes this group, after asking you to confirm.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Find group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Groups</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Groups are lists of customers you send in-app group messages to, such as “Spring buyers”. Each person gets the message in their own conversation.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New group (Ctrl+N)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No group is named like “{text}”.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No groups yet</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No member matches</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No members yet</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No one in this group matches “{text}”.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Opens a list of contacts to add to this group.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Remove</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Remove the selected members from the group (Delete)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Remove {count}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rename group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rename…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Save</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search groups</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search members</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search members by name, number or email</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Select a group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Shows only the groups whose name has these words.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sign in to see your groups.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Your groups. The chosen one shows its members beside the list.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{purpose} Create one to start.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>{shown}{more} of %n member(s) match</source>
            <translation>
                <numerusform>{shown}{more} of %n member match</numerusform>
                <numerusform>{shown}{more} of %n members match</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>HistoryDelegate</name>
        <message>
            <source>Loading…</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>HistoryEmpty</name>
        <message>
            <source>Clear filters and search</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Empties the search and turns every filter off.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>HistoryExporter</name>
        <message>
            <source>CSV files (*.csv)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cancel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Could not save {path}: {reason}. Choose another place.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Export cancelled: no file was written.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Export history</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Exported %n message(s)…</source>
            <translation>
                <numerusform>Exported %n message…</numerusform>
                <numerusform>Exported %n messages…</numerusform>
            </translation>
        </message>
        <message>
            <source>Exporting to {file}…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>PDF files (*.pdf)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>history.csv</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>it failed</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>HistoryFilterBar</name>
        <message numerus="yes">
            <source>%n more (person|people): search their name</source>
            <translation>
                <numerusform>%n more person: search their name</numerusform>
                <numerusform>%n more people: search their name</numerusform>
            </translation>
        </message>
        <message>
            <source>All channels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>All groups</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>All numbers</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Any status</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Anyone</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Author</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Both directions</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Business number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Channel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Clear filters</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delivered</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Direction</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Failed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Filters</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Filters in force</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>From</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>From {date}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Keeps only the group messages to one group, and the replies.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Keeps only the messages in one delivery state.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Keeps only the messages of one channel.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Keeps only the messages one person wrote.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Keeps only the messages sent, or only those received.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Keeps only the messages through one business number.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Messages from this day on</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Messages up to this day</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Queued</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Received</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sending</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Status</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>To</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>To {date}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Turns every filter off; the search stays.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Undelivered</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{filter}: {value}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{prefix}: any day</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{tip}; at its first day it means any day</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>HistoryModel</name>
        <message>
            <source>History could not be read from this console's copy. Try again; if it keeps failing, restart the console.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Loading…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{time}, {channel}, {conversation}, {author}, {state}: {body}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{when} · {channel}
{author} · {state}

{body}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{when} · {channel} via {number}
{author} · {state}

{body}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>HistoryPage</name>
        <message>
            <source>Every message sent and received shows here, newest first, searchable even without a connection.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Exports leave internal notes out unless this is ticked</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Export…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Finds the messages whose text, names or numbers have these words.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>History</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>History is not available</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Include internal notes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Messages arrived since the search ran; this adds them to the list.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Messages found</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Newer messages: show them</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No messages match</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No messages yet</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nothing in this console's copy matches the search and filters. Clear them to see every message again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Offline: showing this console's copy (last synced {since}). Search, filters and export work as usual; newer messages appear once the server is back.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Offline: showing this console's copy. Search, filters and export work as usual; newer messages appear once the server is back.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Save the messages the filters show as CSV or PDF</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Saved %n message(s) to {path}.</source>
            <translation>
                <numerusform>Saved %n message to {path}.</numerusform>
                <numerusform>Saved %n messages to {path}.</numerusform>
            </translation>
        </message>
        <message>
            <source>Search history</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search messages, names and numbers</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Searching…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sign in to an account to search its messages.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>That message could not be shown in its conversation (it may be further back than the conversation loads at once). Its text is in this row's tooltip.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The messages the search and filters found. Enter opens one in its chat.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This console's copy has no search index yet: restart the console.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>HistoryQuery</name>
        <message numerus="yes">
            <source>%n message(s)</source>
            <translation>
                <numerusform>%n message</numerusform>
                <numerusform>%n messages</numerusform>
            </translation>
        </message>
        <message>
            <source>All messages</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Author: {name}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Before {date}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Channel: {names}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Conversation</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>From {date}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Group message</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Group message to %n (person|people)</source>
            <translation>
                <numerusform>Group message to %n person</numerusform>
                <numerusform>Group message to %n people</numerusform>
            </translation>
        </message>
        <message>
            <source>Group: {name}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No messages match — clear filters</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No messages yet</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Note</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Number: {names}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Received</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search “{text}”</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Searching…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sent · {status}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Status: {names}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>To {date}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>unknown</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count}+ messages</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>KnownProblem</name>
        <message>
            <source>Agent Console cannot write its files (the disk or folder is read-only, or not yours). Check the folder's permissions, then restart Agent Console.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>It could not be saved on this computer. Try again; if it fails again, restart Agent Console (its log has the details).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The disk is full, so Agent Console could not save. Free some space, then try again: what you wrote is kept until it is saved.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The local message cache is busy: another Agent Console may be open with this profile. Close it, or wait a moment and try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The server could not be reached. Check the network connection; the console keeps working offline and sends what waits when the server is back.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Labels</name>
        <message>
            <source>1:1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>All</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Another agent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Blocked</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delivered</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Failed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Group SMS</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Group message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>In-app</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No 1:1 SMS conversations.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No blocked chats: every conversation can send.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No conversations yet.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No group SMS chats. Start one with + (Ctrl+N).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No in-app conversations.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Queued</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>SMS</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sending…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Undelivered</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Unknown sender</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>You</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>received</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>sent</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>LoginDialog</name>
        <message>
            <source>A PEM file with the certificate authority of a self-hosted server. Leave empty to trust the usual public authorities.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Advanced</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>All files (*)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Browse...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>CA bundle</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>CA bundle (PEM)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Certificates (*.pem *.crt *.cer)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Chooses the certificate authority file on this computer.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Closes this window without signing in.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Email</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Enter your email and password.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No secure connection could be made with the server. Check the address: https:// for a server with TLS, http:// for one without.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Password</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Server</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Server address</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Shows or hides the certificate settings for a self-hosted server.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sign in</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Signing in failed. Check the address and try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Signs in to the server with this email and password.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>System certificate authorities</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>That is not a server address. Enter one like https://console.example.com.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The CA bundle cannot be read or is not a PEM certificate file.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The email address you sign in with.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The server answered, but it is not an Agent Console server. Check the address and the port.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The server could not be reached. Check the address and try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The server's certificate is not trusted. If the server uses its own certificate authority, set its CA bundle under Advanced.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The web address of your console server.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Too many attempts, try again in %n hour(s).</source>
            <translation>
                <numerusform>Too many attempts, try again in %n hour.</numerusform>
                <numerusform>Too many attempts, try again in %n hours.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Too many attempts, try again in %n minute(s).</source>
            <translation>
                <numerusform>Too many attempts, try again in %n minute.</numerusform>
                <numerusform>Too many attempts, try again in %n minutes.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Too many attempts, try again in %n second(s).</source>
            <translation>
                <numerusform>Too many attempts, try again in %n second.</numerusform>
                <numerusform>Too many attempts, try again in %n seconds.</numerusform>
            </translation>
        </message>
        <message>
            <source>Too many attempts, try again later.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Wrong email or password.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>You can try again now.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Your password on that server. It is not shown.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>https://console.example.com</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>you@example.com</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{title} - Agent Console</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>&amp;About Agent Console</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Compliance settings...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Conversations</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Do not disturb</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;File</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Groups</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Help</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;History</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Import contacts...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;New contact...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;New group chat...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;New group message...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;New group...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Participants</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Refused changes...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Settings...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Sync now</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Templates...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;View</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>({count}) Agent Console</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>A desktop console for group messaging: SMS conversations, group SMS chats and in-app group messages, synced with its messaging backend.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>A message was not sent: {reason} Its text: “{text}”</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>A note was not added: {reason} Its text: “{text}”</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>About Agent Console</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add a contact</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add many contacts at once from a CSV or vCard file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Admins: the opt-out hint of each number, and states' quiet hours</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Agent Console</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>C&amp;ontacts</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose one on the left to read and reply.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Do not disturb</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Every message you scheduled that has not gone yet</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Everyone in a group chat reads the same text: their first names are listed together.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Group &amp;messages</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>It opens as soon as the console has finished starting.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Make an audience group for in-app group messages</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No desktop notifications from Agent Console; unread counts still show</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Notifications are off. Click to turn them on.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Opening the conversation...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sc&amp;heduled messages...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Select a conversation</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sending is blocked here.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show &amp;conversation list</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show or hide a group chat's participants</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Start a group SMS chat with 2 to 9 contacts</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Starting...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The server refused some changes. Open the list to retry or discard them.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Write an in-app message to everyone in a group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Your templates and the shared ones: insert (Ctrl+T in compose), write, change</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>everyone in this chat</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{reason} It was not sent; your text is back in the box.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{reason} The note was not added; your text is back in the box.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{summary} - Review</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>MemberTable</name>
        <message>
            <source>Group members</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The contacts in this group. Delete removes the selected ones.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>MergeFields</name>
        <message>
            <source>business number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>first name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>last name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>your name</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>MergePreviewModel</name>
        <message>
            <source>No {fields}: left out of their text.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Person</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Their text</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>MessageDelegate</name>
        <message>
            <source>Discard</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Retry</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>MessageListModel</name>
        <message>
            <source>Internal note by {author}: {body}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Internal note · {author} · {time}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Reply to group message “a group message”</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Reply to group message “{title}”</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Waiting to send</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>sent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{numbers} or {number}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{text}. Press Ctrl+R to retry sending, or Delete to discard it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{text}. Press Space for delivery to each participant.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>MessageListView</name>
        <message>
            <source>&amp;Copy text</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Discard</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Retry sending</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Messages</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The chat's messages, oldest at the top. The context menu copies one or retries a refused one.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>NavRail</name>
        <message>
            <source>Pages</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>NoMessages</name>
        <message numerus="yes">
            <source>Messages you send go to all %n participants from {number}, each as a text message; their replies show here with who wrote them.</source>
            <translation>
                <numerusform>Messages you send go to all %n participants from {number}, each as a text message; their replies show here with who wrote them.</numerusform>
                <numerusform>Messages you send go to all %n participants from {number}, each as a text message; their replies show here with who wrote them.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Messages you send go to all %n participants, each as a text message; their replies show here with who wrote them.</source>
            <translation>
                <numerusform>Messages you send go to all %n participants, each as a text message; their replies show here with who wrote them.</numerusform>
                <numerusform>Messages you send go to all %n participants, each as a text message; their replies show here with who wrote them.</numerusform>
            </translation>
        </message>
        <message>
            <source>Messages you send go to every participant from {number}, each as a text message; their replies show here with who wrote them.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Messages you send go to every participant, each as a text message; their replies show here with who wrote them.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Messages you send go to {name} by SMS from {number}; their replies show here.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Messages you send go to {name} by SMS; their replies show here.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Messages you send reach {name} in the app; their replies show here.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No messages yet</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nothing was sent or received here, and sending is blocked (see above).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nothing was sent or received here. {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>You cannot send here: this chat's business number is not available to you. You can still read it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>You may not send from {number}, the number this chat uses. You can still read it; ask an admin for access to the number to reply.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>NoticeBanner</name>
        <message>
            <source>Dismiss</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Dismiss notice</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Error notice</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Info notice</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Warning notice</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>NoticeTexts</name>
        <message numerus="yes">
            <source>%n change(s) not sent yet (was|were) recovered and will be sent.</source>
            <translation>
                <numerusform>%n change not sent yet was recovered and will be sent.</numerusform>
                <numerusform>%n changes not sent yet were recovered and will be sent.</numerusform>
            </translation>
        </message>
        <message>
            <source>Changes that were not sent yet could not be read from it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>It held no unsent changes.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No system keyring is available, so your sign-in is kept in memory only: you will need to log in again the next time you start the console.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Signed out on this computer, but the server at {server} answered with an error ({code}), so your sign-in was not cancelled there: it stays valid on the server until it expires or an administrator revokes it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Signed out on this computer, but the server at {server} could not be reached, so your sign-in was not cancelled there: it stays valid on the server until it expires or an administrator revokes it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Signed out on this computer, but the server at {server} refused the secure connection, so your sign-in was not cancelled there: it stays valid on the server until it expires or an administrator revokes it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The local cache {path} could not be used ({problem}); it is being rebuilt from the server.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The old file could not be kept.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The old file was kept as {path}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>it could not be read</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>it is cut short</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>it is damaged</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>it is not a SQLite database</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>it was written by another version of the console</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>permission was denied</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Notifier</name>
        <message numerus="yes">
            <source> (%n new)</source>
            <translation>
                <numerusform> (%n new)</numerusform>
                <numerusform> (%n new)</numerusform>
            </translation>
        </message>
        <message>
            <source>a group message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{first} and {second}</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>{messages} new messages in %n conversations</source>
            <translation>
                <numerusform>{messages} new messages in %n conversations</numerusform>
                <numerusform>{messages} new messages in %n conversations</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>{names} and %n more</source>
            <translation>
                <numerusform>{names} and %n more</numerusform>
                <numerusform>{names} and %n more</numerusform>
            </translation>
        </message>
        <message>
            <source>{who} in {chat}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{who} replied to “{about}”</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>OptOutBanner</name>
        <message>
            <source>A message here reads like a request to stop texting (the message is not on this computer yet). Confirm it to turn on Do Not Disturb, or dismiss it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Confirm opt-out</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Confirming: Do Not Disturb goes on once the server has it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Dismissing: waiting for the server</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Flagged {age}, waiting for an answer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>It is an opt-out: turns on Do Not Disturb for this person (recorded as yours), sends them one confirmation text, and blocks their group chats.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>It is not a request to stop texting: closes the flag (recorded as yours); Do Not Disturb stays as it is.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not an opt-out</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Suspected opt-out</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This reads like a request to stop texting: “{body}”</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>OptOutReview</name>
        <message numerus="yes">
            <source>%n day(s) ago</source>
            <translation>
                <numerusform>%n day ago</numerusform>
                <numerusform>%n days ago</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n hour(s) ago</source>
            <translation>
                <numerusform>%n hour ago</numerusform>
                <numerusform>%n hours ago</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n minute(s) ago</source>
            <translation>
                <numerusform>%n minute ago</numerusform>
                <numerusform>%n minutes ago</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n opt-out(s) to review</source>
            <translation>
                <numerusform>%n opt-out to review</numerusform>
                <numerusform>%n opt-outs to review</numerusform>
            </translation>
        </message>
        <message>
            <source>Flagged less than a day ago</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Messages that read like a request to stop texting, waiting for you to confirm or dismiss them; the oldest first.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Suspected opt-outs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Waiting for an answer for over a day</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Waiting for an answer for over three days</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>just now</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{who} ({age})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{who}: “{text}” ({age})</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Pages</name>
        <message>
            <source>Show {page}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ParticipantChips</name>
        <message>
            <source>Participants</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ParticipantPanel</name>
        <message>
            <source>Participants</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Participants (%n)</source>
            <translation>
                <numerusform>Participants (%n)</numerusform>
                <numerusform>Participants (%n)</numerusform>
            </translation>
        </message>
        <message>
            <source>Sent from {number}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The people in this group chat, with their numbers.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ParticipantText</name>
        <message>
            <source>DND</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>DND: Do Not Disturb is on for this contact (for example they replied STOP). Nobody can text this chat until it is off; start a new chat without them.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Deleted</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Deleted: the contact was deleted from your contacts. Messages still go to the number chosen when this chat was made.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Messages go to {number} ({which}).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Messages still go to the number chosen then.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Name was {name}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Participants and the business number are fixed when a group chat is made: messages keep going to the numbers chosen then, even if a contact is later edited or deleted, so everyone in the thread keeps hearing everyone. To change who is in it, start a new group chat.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Updated</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Updated: the contact's name or numbers changed since this chat was made.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>no longer on the contact</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>primary number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>secondary number</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{number} added to the contact</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{number} no longer on the contact</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{number} removed from the contact</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>PdfJob</name>
        <message>
            <source> · The first {count} messages (export CSV for all of them)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Author</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Channel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Conversation</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Message history</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Page {number} of {count}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Status</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Time</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>PendingState</name>
        <message>
            <source>Adding…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Being added: on its way to the server.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Being deleted: it goes once the server confirms.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Being removed: on its way to the server.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Creating…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Deleting…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not saved</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Removing…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Saving…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Your change is on its way to the server.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>PersonPanel</name>
        <message>
            <source>Add</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add them to the chosen group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add to a new group…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Assigned to a colleague</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Assigned to {name}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose a group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Create and add</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Creates a group with this person in it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Do Not Disturb</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Do Not Disturb is on: no SMS goes to this person</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Group to add them to</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Groups</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Groups (%n)</source>
            <translation>
                <numerusform>Groups (%n)</numerusform>
                <numerusform>Groups (%n)</numerusform>
            </translation>
        </message>
        <message>
            <source>New group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No other group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not in any group yet.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Person</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Remove from group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Takes this person out of the group chosen above.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The groups this person is in. Choose one to remove them from it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The groups this person is not in yet.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Their groups</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This contact is not in your contact list.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This person is added to it straight away.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Unassigned</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Unknown person</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{name} is added to it straight away.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>QuietHoursWarning</name>
        <message numerus="yes">
            <source>It is outside quiet hours for %n recipient(s) where they are:</source>
            <translation>
                <numerusform>It is outside quiet hours for %n recipient where they are:</numerusform>
                <numerusform>It is outside quiet hours for %n recipients where they are:</numerusform>
            </translation>
        </message>
        <message>
            <source>Keeps the message and sends it at the first time inside everyone's hours.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nothing is sent now; your text stays as it is.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Outside quiet hours</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Schedule for {when}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Send anyway</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sends it now; the message records that you were warned.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{name}: {when} {zone} (outside {start}–{end})</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>…and %n more.</source>
            <translation>
                <numerusform>…and %n more.</numerusform>
                <numerusform>…and %n more.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>RecipientDelivery</name>
        <message numerus="yes">
            <source>Delivered to all %n participant(s).</source>
            <translation>
                <numerusform>Delivered to all %n participant.</numerusform>
                <numerusform>Delivered to all %n participants.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Delivered to {delivered} of %n participant(s); {failed} failed.</source>
            <translation>
                <numerusform>Delivered to {delivered} of %n participant; {failed} failed.</numerusform>
                <numerusform>Delivered to {delivered} of %n participants; {failed} failed.</numerusform>
            </translation>
        </message>
        <message>
            <source>Delivered to {delivered} of {total} — {failed} failed</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Not delivered to any of the %n participant(s).</source>
            <translation>
                <numerusform>Not delivered to any of the %n participant.</numerusform>
                <numerusform>Not delivered to any of the %n participants.</numerusform>
            </translation>
        </message>
        <message>
            <source>Not delivered to {names}. Click for details.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not delivered to {names}: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Not sent yet: waiting to reach the server. It will go to %n participant(s).</source>
            <translation>
                <numerusform>Not sent yet: waiting to reach the server. It will go to %n participant.</numerusform>
                <numerusform>Not sent yet: waiting to reach the server. It will go to %n participants.</numerusform>
            </translation>
        </message>
        <message>
            <source>delivered</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>failed: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>not confirmed yet</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>not sent yet</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>queued, not yet sent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>sent, not yet confirmed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>the carrier did not deliver it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>the carrier gave no reason</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>the message failed for at least one participant; the server did not say which</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{status} · {delivered} of {total} delivered</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{status} · {delivered} of {total} delivered — {failed} failed</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>{status}: with the carrier for %n participant(s), none confirmed yet, {failed} failed.</source>
            <translation>
                <numerusform>{status}: with the carrier for %n participant, none confirmed yet, {failed} failed.</numerusform>
                <numerusform>{status}: with the carrier for %n participants, none confirmed yet, {failed} failed.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>{status}: with the carrier for %n participant(s), none confirmed yet.</source>
            <translation>
                <numerusform>{status}: with the carrier for %n participant, none confirmed yet.</numerusform>
                <numerusform>{status}: with the carrier for %n participants, none confirmed yet.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>{status}: with the carrier for %n participant(s), {delivered} of %n delivered so far, {failed} failed.</source>
            <translation>
                <numerusform>{status}: with the carrier for %n participant, {delivered} of %n delivered so far, {failed} failed.</numerusform>
                <numerusform>{status}: with the carrier for %n participants, {delivered} of %n delivered so far, {failed} failed.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>{status}: with the carrier for %n participant(s), {delivered} of %n delivered so far.</source>
            <translation>
                <numerusform>{status}: with the carrier for %n participant, {delivered} of %n delivered so far.</numerusform>
                <numerusform>{status}: with the carrier for %n participants, {delivered} of %n delivered so far.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>RecipientTableModel</name>
        <message>
            <source>Conversation</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Deliv.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delivered</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delivered: when their app fetched it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Email and push notifications about it; point at one to see each outcome and why one failed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Email: {outcome}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Failed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Notifications</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Notified</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Open</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Open {name}'s conversation: replies to this message land there</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Push: {outcome}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Read</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Read: when they opened it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Recipient</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Replied</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Replied: when they replied (in their own conversation)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sending…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Their conversation: replies to this message land there</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>none was due (not configured for your app, no address, or do not disturb)</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>RefusedWritesDialog</name>
        <message numerus="yes">
            <source>%n change(s) refused</source>
            <translation>
                <numerusform>%n change refused</numerusform>
                <numerusform>%n changes refused</numerusform>
            </translation>
        </message>
        <message>
            <source>&amp;Discard</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Retry</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Closes this window; the changes stay listed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Drops the chosen change; it is not made.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No refused changes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nothing is lost: each one waits here. Fix the cause (the reason is under each change) and choose Retry, or Discard it if it is no longer wanted.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nothing is waiting: every change reached the server.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Refused changes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sends the chosen change to the server once more.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The changes the server refused, each with its reason.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>The server has refused nothing. %n change(s) (is|are) waiting to be sent: they go out as soon as the server can be reached.</source>
            <translation>
                <numerusform>The server has refused nothing. %n change is waiting to be sent: they go out as soon as the server can be reached.</numerusform>
                <numerusform>The server has refused nothing. %n changes are waiting to be sent: they go out as soon as the server can be reached.</numerusform>
            </translation>
        </message>
        <message>
            <source>The server refused these changes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{problem} The list is up to date again.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>RefusedWritesModel</name>
        <message>
            <source>Add to group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cancel scheduled message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Clear state quiet hours</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Confirm opt-out</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Contact change</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Contact import</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete contact</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete template</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Group message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Internal note</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New contact</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New group chat</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New template</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not an opt-out</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Opt-out hint</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Read mark</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Remove from group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rename group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Scheduled message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Scheduled message change</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>State quiet hours</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Template change</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Undo contact import</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Unread mark</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{kind}: {subject}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{reason} (server code: {code})</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ScheduleDialog</name>
        <message numerus="yes">
            <source>%n recipient(s) would get it outside quiet hours where they are: {names}.</source>
            <translation>
                <numerusform>%n recipient would get it outside quiet hours where they are: {names}.</numerusform>
                <numerusform>%n recipients would get it outside quiet hours where they are: {names}.</numerusform>
            </translation>
        </message>
        <message>
            <source>A message can be scheduled at most a year ahead.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Closes this window; nothing is scheduled or changed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Date</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Edit scheduled message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Keeps the message to be sent at the chosen time.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Message text</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Move to {when}, inside everyone's hours</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Moves the time to the first one inside everyone's hours.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Save</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Schedule</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Schedule message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Send at</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sets the date and time to {when}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>That time has passed. Choose a later one.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The day to send it, in your time zone.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The message is over the {limit}-character limit.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The server sends it at that time, even when this console is closed. Do Not Disturb and the other rules are checked again then.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The time to send it, in your time zone.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Their local time then</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Time</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>What will be sent at the chosen time.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Write the message first.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{time} · outside {start}–{end}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{when}, your time ({zone})</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ScheduleTimes</name>
        <message>
            <source> or </source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>In 1 hour</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>In-app: they read it when they open the app</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Local time unknown for {phone}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Monday {time}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Today {time}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Tomorrow {time}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{weekday} {date} {time}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ScheduledList</name>
        <message>
            <source>Cancel send</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Change the chosen message's text or time.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Edit…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Messages waiting for their time, soonest first.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Open conversation</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Scheduled messages</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Shows the conversation the message goes to.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The chosen message will not be sent.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ScheduledListModel</name>
        <message>
            <source>{text} (saving)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{when} · {body}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{when} · {where} · {body}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ScheduledSends</name>
        <message>
            <source>A message can be scheduled at most a year ahead.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>A message scheduled for {when} in {where} was not sent: {reason} Its text: “{text}”</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>A message scheduled for {when} was not sent: {reason} Its text: “{text}”</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Group message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Group message to {group}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>It could not be saved here. Nothing changed; try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>That time has passed. Choose a later one.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The time has no time zone. Choose it again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This group chat is still being created. Schedule the message once it is.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This message was sent or cancelled already; it cannot change.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This scheduled message is no longer there.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ScheduledSendsDialog</name>
        <message>
            <source>Closes the list; the messages stay scheduled.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nothing is scheduled. Write a message and choose Schedule (the clock beside Send, or Ctrl+Shift+Enter).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Scheduled messages</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Soonest first. The server sends each at its time, even when this console is closed.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ScheduledStrip</name>
        <message numerus="yes">
            <source>%n scheduled · next {when}</source>
            <translation>
                <numerusform>%n scheduled · next {when}</numerusform>
                <numerusform>%n scheduled · next {when}</numerusform>
            </translation>
        </message>
        <message>
            <source>Hide</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Scheduled in this conversation</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Shows or hides the scheduled messages.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>SentGroupMessagesModel</name>
        <message>
            <source>(deleted group)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Deliv.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delivered</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delivered: recipients whose app has fetched it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Failed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not sent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not sent: {reason}. See View &gt; Refused changes to retry or discard it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Notification failures</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Notification failures: email and push notifications about it that could not be delivered</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>On its way to the server: it goes to the members when it arrives.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Read</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Read: recipients who have opened it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Recipients</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Recipients: the members of the group when it was sent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Replied</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Replied: recipients who replied (in their own conversation)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sender</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sending…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sent at</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sent at: when it went to the group</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sent to</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Someone else</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The server reports no notification failure count for this message; the recipients' detail shows each email and push outcome</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Title</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>none</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>the server refused it</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source>&amp;Add account...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Do not disturb</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Theme</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accounts</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Appearance</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Changes apply at once and are remembered.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Closes the settings. Changes are saved as you make them.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Dark</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>How large the console's text is shown.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Large</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Larger</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Light</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No saved accounts</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Normal</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Notifications</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>S&amp;witch to</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Same as the desktop</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Saved accounts</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Settings</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show a desktop &amp;notification for new messages</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sign &amp;out</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Signs in to another account; the accounts here stay saved.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Signs out of the current account on this computer.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Small</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Text &amp;size</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Text size</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The accounts this computer remembers, and which one is in use.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The console's colours: light, dark or the desktop's.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Theme</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This desktop has no tray: new messages make the window ask for attention, and the window title counts what is unread.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Unread messages are counted on the tray icon and in the window title.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Uses the chosen account instead of the one in use (Enter or a double-click on it does the same).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>When on, a new message pops up on the desktop while you work elsewhere.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>When on, no desktop notifications; unread messages are still counted.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>asks for the password</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>signed in</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{account} (in use) - {state}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{account} - {state}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Sidebar</name>
        <message numerus="yes">
            <source>%n unread</source>
            <translation>
                <numerusform>%n unread</numerusform>
                <numerusform>%n unread</numerusform>
            </translation>
        </message>
        <message>
            <source>Conversations</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New group chat</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New group chat (Ctrl+N)</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>SyncStatusWidget</name>
        <message>
            <source> (last synced {ago})</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source> - %n change(s) waiting to send</source>
            <translation>
                <numerusform> - %n change waiting to send</numerusform>
                <numerusform> - %n changes waiting to send</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n min ago</source>
            <translation>
                <numerusform>%n min ago</numerusform>
                <numerusform>%n min ago</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Backend unreachable - retrying in %n second(s)</source>
            <translation>
                <numerusform>Backend unreachable - retrying in %n second</numerusform>
                <numerusform>Backend unreachable - retrying in %n seconds</numerusform>
            </translation>
        </message>
        <message>
            <source>Checking for changes every {seconds} s</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Connecting live updates...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Connecting...</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Live updates are not getting through - checking for changes every {seconds} s</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Live updates on</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Live updates reconnecting - checking for changes every {seconds} s</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Live updates refuse this cache's cursor - checking for changes every {seconds} s</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Live updates unavailable on this server - checking for changes every {seconds} s</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not signed in</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Offline - showing cached data</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Online</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Online - synced {time}</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Server busy - retrying in %n second(s)</source>
            <translation>
                <numerusform>Server busy - retrying in %n second</numerusform>
                <numerusform>Server busy - retrying in %n seconds</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Server error ({status}) - retrying in %n second(s)</source>
            <translation>
                <numerusform>Server error ({status}) - retrying in %n second</numerusform>
                <numerusform>Server error ({status}) - retrying in %n seconds</numerusform>
            </translation>
        </message>
        <message>
            <source>Signed out: log in again</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Sync error - retrying in %n second(s)</source>
            <translation>
                <numerusform>Sync error - retrying in %n second</numerusform>
                <numerusform>Sync error - retrying in %n seconds</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Sync refused ({code}) - retrying in %n second(s)</source>
            <translation>
                <numerusform>Sync refused ({code}) - retrying in %n second</numerusform>
                <numerusform>Sync refused ({code}) - retrying in %n seconds</numerusform>
            </translation>
        </message>
        <message>
            <source>Sync status</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sync status: no details</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Sync stopped - restarting in %n second(s)</source>
            <translation>
                <numerusform>Sync stopped - restarting in %n second</numerusform>
                <numerusform>Sync stopped - restarting in %n seconds</numerusform>
            </translation>
        </message>
        <message>
            <source>Sync stopped by an internal error (see the log)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>at {clock}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>just now</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>on {day} at {clock}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>yesterday at {clock}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>TemplateEditor</name>
        <message>
            <source>At most {count} characters.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Closes the editor; nothing is saved.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Edit template</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Everyone on the team can insert it; only admins change it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Fields fill in for each person when you insert the template or send a group message; one with no value is left out, and you are told first.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Hi {first_name}, this is {agent_name}. Your showing is confirmed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Insert the {field} field</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Insert:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New template</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Only admins share templates.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Save</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Saves the template.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Shared with everyone on the team</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Template name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Template text</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Text</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The template's text; merge fields in braces fill in for each person.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>What the template is called in the list of templates.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>e.g. Showing confirmation</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{names} is not a merge field. The fields are {known}; write {{{{ and }}}} for a brace.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>TemplateInsert</name>
        <message>
            <source>Another template already has that name. Choose another.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete template?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete the template “{name}”?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Everyone on the team loses it; messages sent with it stay.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Give the template a name.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>It could not be deleted here; try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>It could not be saved here. Nothing changed; try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Messages sent with it stay as they are.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Only admins share templates or change shared ones.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This template was deleted meanwhile.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Write the template's text.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>TemplateListModel</name>
        <message>
            <source>  · shared</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Shared template</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Your template</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>TemplatePicker</name>
        <message>
            <source>As it goes here</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cancel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Change the chosen template's name, text or sharing.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Close</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Closes the templates.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Closes the templates; nothing is inserted.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete the chosen template (asks first).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Edit…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Insert</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Insert a template</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Lists the templates whose name or text has these words; Up and Down move through the list.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No template matches that search.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No templates yet. New… writes one; {first_name} and the other fields fill in for each person.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No {fields} for {target}: left out of the text. Edit it after inserting if it reads oddly.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No {fields} here: left out of the text.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Puts the text in the message box; nothing is sent.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search templates</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search templates by name or text</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Template preview</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Templates</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Text</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Write a new template.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Your templates and the shared ones; the chosen one shows beside the list.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>TrayIcon</name>
        <message>
            <source> (Do not disturb)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Show Agent Console</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Agent Console</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Agent Console: %n unread</source>
            <translation>
                <numerusform>Agent Console: %n unread</numerusform>
                <numerusform>Agent Console: %n unread</numerusform>
            </translation>
        </message>
    </context>
</TS>
