"""The notice an admin starts from when switching message sampling on (they may edit it)."""

DEFAULT_NOTICE = """\
We would like to understand how marketing and sales work together from the way we write to each \
other, not only from surveys. Sharing samples of your work messages is voluntary, and saying no \
has no consequences for you.

If you opt in, messages you write in shared work channels are read by Tandem from the sources \
you choose. Before anything is kept, e-mail addresses, phone numbers, links, @-mentions and \
colleagues' names are removed. Tandem keeps scores — tone, kinds of friction, a tension score — \
with your team and the week, not the text.

Managers only see team figures, and only when enough people in the team share. Nobody sees your \
messages, your own scores, or whether you opted in.

You can stop at any time from your personal link. Stopping works at once: nothing more is \
collected and everything kept from your messages is deleted."""
