"""The demo's cast and lines, written for Tandem (no real people or companies)."""

#: (team key, department, headcount, manager e-mail)
TEAMS = [
    ("growth-marketing", "marketing", 12, "priya.raman@example.com"),
    ("brand-content", "marketing", 7, "tomas.lindqvist@example.com"),
    ("product-marketing", "marketing", 6, "priya.raman@example.com"),
    ("enterprise-sales", "sales", 12, "dana.whitfield@example.com"),
    ("mid-market-sales", "sales", 8, "marcus.bell@example.com"),
    ("sales-development", "sales", 11, "marcus.bell@example.com"),
]

#: The marketing and sales teams that fall out with each other in the story.
TENSE_PAIR = {"growth-marketing", "enterprise-sales"}
#: The week (0-based) in which their friction starts to show.
TENSION_ONSET_WEEK = 5

FIRST_NAMES = ["Ada", "Bilal", "Chloe", "Dev", "Elena", "Farah", "Gus", "Hana", "Ivo", "Jade",
               "Kofi", "Lena", "Mateo", "Nia", "Oren", "Pia", "Quinn", "Rosa", "Sami", "Tess"]
LAST_NAMES = ["Adeyemi", "Brandt", "Castillo", "Dubois", "Eriksen", "Fischer", "Gallo",
              "Haddad", "Ito", "Jensen", "Kowalski", "Lopez", "Moreau", "Novak", "Ortiz"]

CALM_COMMENTS = [
    "Good week. The Tuesday handoff call with the other team really helped.",
    "Thanks to everyone who pitched in on the product launch, it went smoothly.",
    "Priorities are clear this sprint and the workload feels manageable.",
    "The new case study went down well with customers, nice work all round.",
    "Enjoyed the joint pipeline review, we should keep doing those.",
    "Nothing special to report, things are running well.",
]

TENSE_COMMENTS = {
    "marketing": [
        "We handed over forty qualified leads and most of them were never followed up.",
        "Still waiting on any feedback from sales about the webinar leads. Again.",
        "Sales keeps calling our leads junk but nobody will tell us what a good lead looks like.",
        "Per my last email, the campaign list was shared on Monday. Nobody read it.",
        "We get blamed for the pipeline numbers while sales sits on the leads for weeks.",
        "Nobody from sales came to the campaign planning meeting, as usual.",
    ],
    "sales": [
        "Half the leads from marketing this month were junk: students and competitors.",
        "Marketing throws leads over the wall and then blames us for the conversion rate.",
        "Not my job to clean up the lead list before I can even call anyone.",
        "Nobody told us about the new campaign until customers started asking about it.",
        "These leads are garbage and we keep saying so. Does anyone in marketing listen?",
        "We can't find the latest pricing deck anywhere, marketing never shares it.",
    ],
}

#: Work messages the demo's people share (chat-sized, in the same story as the comments).
CALM_MESSAGES = [
    "Morning all, the webinar deck is in the shared folder.",
    "Thanks for the quick turnaround on the pricing page, looks great.",
    "Can we move the pipeline review to Thursday? Happy to take notes.",
    "Nice work on the launch email, open rates look strong.",
    "Sharing the notes from today's call, shout if I missed anything.",
    "Great chat with the customer, they loved the new case study.",
    "Quick heads-up: the CRM fields for lead source are updated.",
    "Happy Friday everyone, thanks for a smooth week.",
]
TENSE_MESSAGES = {
    "marketing": [
        "Still no update on the forty leads we passed over last week?",
        "Per my last message, the campaign list has been ready since Monday.",
        "Again: nobody from sales has followed up on the webinar leads.",
        "If the leads are junk, tell us what a good lead looks like. We keep asking.",
        "We are being blamed for pipeline while the leads sit untouched for weeks.",
    ],
    "sales": [
        "Half of these leads are students and competitors. Who qualified them?",
        "Not my job to clean the lead list before I can even call anyone.",
        "Nobody told us about the new campaign until customers asked about it.",
        "These leads are garbage and marketing keeps ignoring our feedback.",
        "Where is the latest pricing deck? Marketing never shares anything on time.",
    ],
}
#: Share of demo members who opt in to message sampling.
MESSAGE_OPT_IN = 0.85
