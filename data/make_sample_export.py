#!/usr/bin/env python3
"""Generate data/sample-export/: an ENTIRELY SYNTHETIC LinkedIn data export (2026 format).

Standard library only, fixed seed: running it twice gives byte-identical files.
Every name, company, URL slug and message text is invented here; nothing is taken from a real export.

Owner: "Rowan Ellery", https://www.linkedin.com/in/rowan-ellery-4b7a21c9
Export date (latest date in any file): 2026-10-15.

Files and byte layout (copied from real 2025/2026 exports, content invented):
  Profile.csv      13-column header, minimal quoting, LF, trailing newline.
  Connections.csv  3-line "Notes:" preamble, header on line 4, `First Name,Last Name,URL,Email Address,
                   Company,Position,Connected On`, minimal quoting, LF, NO newline after the last row,
                   newest first, dates `%d %b %Y`, URLs percent-encoded (uppercase hex).
  messages.csv     every field quoted (header too), LF, trailing newline, real newlines and "" inside
                   CONTENT, columns ... FOLDER,ATTACHMENTS,IS MESSAGE DRAFT, dates `YYYY-MM-DD HH:MM:SS UTC`,
                   rows of a conversation together, conversations newest first, rows newest first.
  Invitations.csv  `From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl`, minimal
                   quoting (Sent At always quoted because of its comma), LF, trailing newline,
                   OUTGOING rows first, then INCOMING, each newest first; URLs raw Unicode.

What is planted (see the summary the script prints):
  Connections: ~345 people 2016-2026 (more in recent years), two burst days with 10+ connections
    (2019-04-11 and 2023-06-22), 3 blank rows (date only), 2 exact duplicate rows, two different
    people both named "Alex Moreno", accented names whose slugs are percent-encoded here
    (`j%C3%BCrgen-...`) but raw Unicode in messages/invitations (`jürgen-...`), "Dana Whitfield, PhD"
    (Last Name `Whitfield, PhD`), a name with an emoji, leading/trailing spaces, commas in
    Company/Position, one Position with a tab, a few e-mail addresses (example.* domains).
  messages.csv: ~3000 rows. ~87% of connections never messaged; one-way ties (owner-only notes,
    alter-only pitches); two-way ties with heavy-tailed counts (a few with hundreds), some active in
    2026 and some faded years ago; message partners who are not connections (recruiters' InMails with
    title/subject, an ex-colleague); 4 group conversations (3, 4, 6, 8 participants) whose TO joins
    names with a bare "," and which include "Dana Whitfield, PhD"; in the 8-person group the owner is
    left out of TO/RECIPIENT PROFILE URLS on others' messages (as in large real threads);
    quirks: 2 sponsored rows, 2 SPAM rows, 1 draft (empty id/TO/FOLDER, Yes), 2 exact duplicate rows,
    1 row with empty FROM/TO/CONTENT (and no URLs), a few ATTACHMENTS, a couple of HTML entities.
  Invitations.csv: ~60 rows from 2025-12 to 2026-10; accepted ones (counterpart connected 0-12 days
    later) and pending ones; personal notes, LinkedIn's default text (curly apostrophe), mostly empty;
    one pending counterpart invited twice. A personal note raises the chance of a later two-way chat.
"""
import base64
import csv
import datetime as dt
import io
import os
import random
import sys
import urllib.parse

SEED = 20261015
rng = random.Random(SEED)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "sample-export")

EXPORT_DAY = dt.date(2026, 10, 15)
EXPORT_END = dt.datetime(2026, 10, 15, 23, 59, 59)
ACTIVE_CUT = dt.datetime(2025, 10, 16)  # C - 365 days with C = 2026-10-16
INV_START = dt.date(2025, 12, 10)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

OWNER_FIRST, OWNER_LAST = "Rowan", "Ellery"
OWNER = OWNER_FIRST + " " + OWNER_LAST
OWNER_URL = "https://www.linkedin.com/in/rowan-ellery-4b7a21c9"

# --------------------------------------------------------------------------------------------
# invented name material
FIRST = """Amara Tobias Keiko Malik Ines Oskar Priyanka Dmitri Folake Henrik Yara Mateo Siobhan
Kwame Lucia Anders Mei Rafael Nadia Callum Aiyana Bastian Chiara Deshawn Elif Farid Greta Hamid
Ingrid Jonas Kavya Leandro Marisol Niamh Olumide Petra Quentin Rania Stellan Tamsin Umar Vera
Wendell Ximena Yusuf Zainab Aurelio Bettina Cormac Dalia Emeka Fenna Gustavo Hana Idris Jolene
Kasper Lorna Mirela Nikhil Orla Pavel Renata Saoirse Thiago Ulla Viktor Wren Xavier Yasmin Zoltan
Adaeze Bram Celeste Dario Esme Florin Gulnara Hugo Imogen Jarrah Kenji Liesel Marek Noor Odile
Paulo Rosalind Sanjay Talia Uriel Valentina Wilhelmina Yohannes Zeynep Arjun Blessing Cyrus Delphine
Eamon Freya Gideon Halima Ivo Juno Kofi Lavinia Mattias Nkechi Otto Pilar Rufus Sunniva Teodor""".split()
LAST = """Abernathy Adeyemi Albrecht Alvarado Ambrose Aranda Ashworth Bakshi Balogun Barrowclough
Bellweather Bergstrom Bhattacharya Blackwood Bonnaire Brannigan Castellano Chakraborty Clementi
Coulthard Dalgaard Delacroix Desrosiers Drummond Eberhardt Ekwueme Fairbanks Falconer Ferrante
Fitzgerald Gallardo Gilchrist Grünwald Halloran Hargreaves Haverkamp Holmqvist Ibekwe Iwasaki
Jablonski Jankowski Kaminski Karlsson Kettering Kowalczyk Lachance Lindqvist Lockhart Maddox
Marchbank Mbeki Montgomery Nakagawa Navarro Nwosu Oduya Okonjo Ollivier Osterberg Pacheco
Pemberton Quarshie Quintero Rasmussen Ravensworth Rinaldi Rosenthal Sandoval Satterthwaite Schellenberg
Seferis Sinclair Szabo Takahara Thistlewood Trevelyan Udeh Vanterpool Varga Vasquez Wainwright
Whitlock Winterbourne Yamamura Yilmaz Zamora Zielinski Achterberg Brightwell Corvino Duchesne
Emberton Fenwick Galloway Hollis Iredale Jovanovic Kilbride Larkspur Mallory Northcott""".split()

# accented people: (first, last, slug keeps accents?)
ACCENTED = [
    ("Jürgen", "Halvorsen", True), ("Zoë", "Abernethy-Quist", True), ("Ségolène", "Marchetti", True),
    ("Çağla", "Demirtaş", True), ("Łukasz", "Brennan", True), ("Søren", "Takeda", True),
    ("Noémie", "Castellanos", True), ("José", "Ferreira-Lund", True), ("Björn", "Okafor", True),
    ("Anaïs", "Villeneuve", False), ("Raúl", "Echeverría", False), ("Dorottya", "Kovács", False),
]

COMPANIES = """Brightwater Analytics|Kestrel Mobility|Quillfeather|Harrowgate Health|Lumen & Loam|
Saltmarsh Bank|Corvid Labs|Pinecrest Energy|Tidewell Software|Orchard Lane Ventures|Foxglove Biotech|
Meridian Freight|Copperleaf Insurance|Hollowbrook Media|Nimbus Forge|Stonebridge Consulting|
Larkspur Learning|Vantage Point Robotics|Bramblewood Foods|Ironbark Systems|Silverfin Payments|
Wildrose Architecture|Gannet Maritime|Beacon Hill Capital|Moorland Water|Tallis Research|
Redkite Security|Juniper & Vale|Northgate University|Sable Street Studio|Cobalt Canopy|
Greyfriars Legal|Amberlight Games|Heronsgate Hospital Trust|Fieldmouse Robotics|Weatherby Logistics|
Oakhollow Pharma|Brindle Data|Clearwater Civic|Marlowe & Finch|Thornbury Retail Group|Palisade Cloud|
Verdant Grid|Kittiwake Studios|Upland Agritech|Driftwood Analytics|Lanternfish AI|Mistral Fabrication""".replace("\n", "").split("|")
COMPANIES_COMMA = ["Hale, Moritz & Co.", "Linden Street Partners, LLC", "Ashgrove, Pike and Rowe",
                   "Calder Labs, Inc.", "Morrow, Bell & Associates"]
POSITIONS = """Data Scientist|Senior Data Engineer|Product Manager|Software Engineer|Engineering Manager|
UX Researcher|Head of Growth|Analytics Lead|Research Fellow|Machine Learning Engineer|Staff Engineer|
Talent Partner|Account Executive|Operations Manager|Policy Advisor|Clinical Data Manager|
Founder|Chief Operating Officer|Lecturer in Statistics|Solutions Architect|Designer|Consultant|
Marketing Manager|Platform Engineer|Customer Success Lead|Quantitative Analyst|Programme Manager|
PhD Candidate|Technical Writer|Head of Data|Product Designer|Business Analyst|Site Reliability Engineer""".replace("\n", "").split("|")
POSITIONS_COMMA = ["Director, Product Design", "Co-Founder, CTO", "Senior Engineer, Platform",
                   "VP, Data & Analytics", "Manager, Partnerships (EMEA)", "Researcher, Health Economics",
                   "Lead, Trust and Safety", "Head of People, Europe"]

TOPICS = ["the migration", "the Q3 roadmap", "the reading list", "the pricing experiment",
          "the grant application", "that churn dashboard", "the hiring loop", "the survey results",
          "the onboarding flow", "the forecasting model", "the board deck", "the data contract idea",
          "the A/B test readout", "the vendor shortlist", "the metrics review", "the conference CFP"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
PLACES = ["the café on Mill Lane", "Ferris Wheel Coffee", "the place by the station", "the Quay Street bakery",
          "that ramen bar near the office", "the library courtyard"]

# --------------------------------------------------------------------------------------------
# invented message text
OPENERS_OWNER = [
    "Hi {first}, thanks for connecting! Great to finally put a face to the name.",
    "Hi {first} - lovely to meet you at the workshop yesterday. I'd love to hear more about {topic} when you have a moment.",
    "Hey {first}, I saw your post about {topic} and it really resonated. Would you be up for a quick chat sometime?",
    "Hi {first},\n\nThanks for accepting my invite. We spoke briefly after the panel, I was the one asking about {topic}.\n\nWould be great to stay in touch!",
    "Hello {first}, a mutual friend suggested I reach out, they said you know more about {topic} than anyone they've met.",
]
OPENERS_ALTER = [
    "Hi Rowan, thanks for the connection! How are things at your end?",
    "Hey Rowan! Long time no see, I just found you on here.",
    "Hi Rowan, I think we overlapped at the session on {topic} last week, great question you asked.",
    "Hi Rowan,\n\nHope you don't mind me reaching out. I'm working on {topic} and your name came up twice this week, so I figured that was a sign.\n\nWould you have 20 minutes for a call?",
    "Rowan! So good to see you're still in the data world. Are you around for coffee sometime?",
]
CHAT = [
    "Sounds good, {day} works for me.", "Ha, yes, exactly that.", "Thanks so much, really appreciate it!",
    "Sorry for the slow reply, it's been one of those weeks.", "Let me check and get back to you.",
    "Perfect, see you then 🙂", "Oh no, that's annoying. Anything I can do?", "Congrats!! That's huge news.",
    "Did you see the email from the organisers? Apparently the venue changed.",
    "I'm running 10 min late, sorry!", "No worries at all, take your time.",
    "Just sent it over, let me know if the link doesn't work.", "Haha I had the exact same thought.",
    "How did {topic} go in the end?", "Honestly, better than expected. The team was great about it.",
    "Can we push to next week? Something came up with {topic}.", "Sure, {day} afternoon?",
    "Yes! Let's do {place}, around 12:30?", "Great chatting today, thanks for the pointers.",
    "I read the draft, it's really good. Two small comments, see below.",
    "Quick question: do you still have your notes on {topic}?",
    "They called it \"the spreadsheet of doom\", which tells you everything.",
    "I think the short answer is \"it depends\", but I'd lean towards the simpler option.",
    "Thank you, that means a lot.", "Happy birthday! Hope it's a good one 🎉",
    "Totally agree, and the numbers back it up.", "Not yet, but I'm hoping to have it by {day}.",
    "Ok, booked. Calendar invite coming your way.", "Safe travels!", "Ugh, the train again?",
    "Ha, fair. I'll bring the biscuits.", "Yes, that's the one, thanks!",
    "Would you be ok if I introduced you to a colleague? She's working on {topic} too.",
    "Of course, happy to help however I can.", "Any chance you could share the slides?",
    "Here you go. Slide 14 is the one with the cohort chart.", "That's brilliant, thank you!",
    "Still on for {day}?", "Yep, still on.", "Oh wow, I hadn't heard. How are you feeling about it?",
    "Mixed, honestly, but mostly excited. New chapter and all that.",
    "We should celebrate properly when you're back.", "Deal.", "👍",
    "I owe you one for this, seriously.", "Any news on {topic}?",
    "Not really, still waiting on legal, as usual.", "Good luck tomorrow, you'll be great.",
    "Thanks! Nervous but ready.", "How was the weekend?", "Quiet, which was exactly what I needed.",
    "Just saw the announcement, congratulations to the whole team!",
    "Can you remind me of the name of that book you mentioned? The one about {topic}.",
    "I'll dig it out and send it tonight.", "Ooh, tell me more.", "Long story, better over coffee 😄",
    "Fair point, I hadn't thought about the edge cases.", "Let's not overthink it, ship the v1.",
    "Agreed, we can iterate after.", "Lol, classic.", "Sorry, wrong chat!",
]
LONG = [
    "Hi {first},\n\nThanks again for your time on {day}. A few notes while they're fresh:\n\n1. The numbers for {topic} look solid, but I'd double-check the March cohort, something odd happened there.\n2. I agree we should talk to the finance folks early, they were burned last time.\n3. Happy to review the next draft, just send it over.\n\nSpeak soon,\nRowan",
    "So, long story short: we ran the experiment on {topic} for three weeks, the effect was tiny, and the \"obvious\" win turned out to be a logging bug. Lesson learned, again. How are things on your side?",
    "Hey! Sorry I went quiet, the last month was a lot. We moved flats, my laptop died, and {topic} decided to fall over the same week. Anyway, I'm back among the living. Are you free for a call next {day}?",
    "Honest feedback, since you asked: the first half is great, clear and well argued. The second half tries to do too much, I'd cut the section on {topic} entirely, or make it its own piece.\n\nBut really, it's good. Don't overthink it.",
    "Thanks for the intro to your colleague, we had a great chat. She pointed me at a couple of papers on {topic} that I hadn't seen, and I think there's a small collaboration in there somewhere. I owe you a drink (or three).",
    "I've been thinking about what you said about {topic}, and I think you're right that we've been measuring the wrong thing. If the goal is \"people keep coming back\", counting sign-ups is basically vanity. Going to pitch it to the team on {day}, wish me luck.",
]
PITCHES = [
    "Hi Rowan, I help data teams cut their cloud bill by 30-40% without touching a line of code. Would you be open to a 15-minute call next week?",
    "Hi Rowan,\n\nI noticed you lead analytics at your company. We've built a platform that turns dashboards into \"living documents\", and teams like yours are seeing 3x engagement.\n\nWorth a quick chat?",
    "Just bumping this to the top of your inbox, Rowan. Would {day} or Thursday work better?",
    "Hi Rowan, last note from me, I promise! If the timing isn't right, no worries at all. Wishing you a great quarter.",
    "Hello Rowan, are you the right person to speak to about data tooling budgets? If not, could you point me to whoever is?",
]
CONGRATS = [
    "Hi {first}, congratulations on the new role! They're lucky to have you.",
    "Congrats on the launch, {first}, it looks fantastic.",
    "Hi {first}, I really enjoyed your talk on {topic}. Would love to hear more if you're ever up for a coffee.",
    "Hey {first}, saw the news, congratulations! Hope you're celebrating properly.",
    "Hi {first}, we met briefly at the roundtable on {topic}. Let me know if you ever want to swap notes.",
]
RECRUITER_OPEN = [
    "Hi Rowan,\n\nI hope this finds you well! I'm hiring a {role} for {company}, a fast-growing team working on {topic}. Your background, in particular your work on experimentation, looks like a great match.\n\nThe role is hybrid (2 days a week in the office), with a competitive package and equity.\n\nWould you be open to a short, confidential chat?\n\nBest,\n{me}",
    "Hi Rowan, I'm reaching out about a {role} opportunity at {company}. They're building out their R&amp;D data function and the hiring manager specifically asked for someone with your mix of \"hands-on and strategic\". Open to hearing more?",
    "Hello Rowan,\n\nQuick one: {company} is looking for a {role}, fully remote, EU time zones. Salary range is at the top of the market. Are you open to new opportunities at the moment?\n\nThanks,\n{me}",
]
RECRUITER_FOLLOW = [
    "Hi Rowan, just following up on my previous message, would you have 15 minutes this week?",
    "Understood, thanks for letting me know! Mind if I check back in six months or so?",
    "Great, thanks Rowan. I'll send over the job description and a few times for a call.",
]
OWNER_TO_RECRUITER = [
    "Hi {first}, thanks for thinking of me. I'm happy where I am for now, but feel free to check back next year.",
    "Thanks {first}, it does sound interesting. Could you share the salary range and the team size?",
    "Hi {first}, appreciate the note, but I'm not looking at the moment. Good luck with the search!",
]
GROUP_LINES = [
    "Hi all! Adding everyone here so we stop losing emails 🙂", "Works for me!", "Same, count me in.",
    "Can't make {day}, sorry, could we do the week after?", "Who's bringing the projector?",
    "I can book a room at {place}.", "Reminder: we're meeting tomorrow at 6.",
    "Notes from today, roughly:\n- chapter 3 next time\n- {first} leads the discussion\n- snacks rota continues",
    "Great session tonight, thanks everyone.", "Has anyone read the new paper on {topic}?",
    "Yes, and I have \"opinions\", as you can imagine.", "Haha go on then.",
    "Running late, start without me!", "Photo from last night 📸", "Ha, love it.",
    "Does {day} at 7 work for everyone?", "👍👍", "Sorry, only just seeing this.",
    "Welcome to the group! Glad you could join.", "Thanks for organising, as always.",
    "Quick poll: in person or online next time?", "In person please, I miss you all.",
    "Online for me, childcare is tricky that week.", "Let's do hybrid then.",
    "I've put the reading list in the shared doc, comments welcome.",
    "Can someone remind me of the password for the shared folder?",
]


def fill(text, first="", topic=None, role="", company="", me=""):
    return text.format(first=first, topic=topic or rng.choice(TOPICS), day=rng.choice(DAYS),
                       place=rng.choice(PLACES), role=role, company=company, me=me)


# --------------------------------------------------------------------------------------------
# people
used_names, used_slugs = set(), set()


def make_slug(first, last, keep_accents=True):
    base = (first + "-" + last).lower()
    for ch in ",.()'":
        base = base.replace(ch, "")
    base = "-".join(base.split())
    if not keep_accents:
        tr = str.maketrans("áàâäãåæçčéèêëíìîïłñńóòôöõøśšúùûüýžźżğış", "aaaaaaacceeeeiiiilnnoooooossuuuuyzzzgis")
        base = base.translate(tr)
    r = rng.random()
    if r < 0.35:
        slug = "%s-%09d" % (base, rng.randrange(10**8, 10**9))
    elif r < 0.65:
        slug = "%s-%08x" % (base, rng.getrandbits(32))
    elif r < 0.85:
        slug = base
    elif r < 0.95:
        slug = "%s%d" % (base.replace("-", ""), rng.randrange(10, 99))
    else:
        slug = base[0] + base.split("-")[-1]
    while slug in used_slugs:
        slug = "%s-%d" % (slug, rng.randrange(2, 9))
    used_slugs.add(slug)
    return slug


class Person:
    def __init__(self, first, last, keep_accents=True, slug=None):
        self.first, self.last = first, last
        self.name = first + " " + last
        self.slug = slug or make_slug(first, last, keep_accents)
        self.url = "https://www.linkedin.com/in/" + self.slug                     # raw Unicode form
        self.url_pct = "https://www.linkedin.com/in/" + urllib.parse.quote(self.slug, safe="-")
        self.company = ""
        self.position = ""
        self.connected = None      # date
        self.conn_first = first    # as written in Connections.csv (may carry stray spaces)
        self.conn_last = last
        self.email = ""
        self.tags = []


def new_person(first=None, last=None, keep_accents=True):
    while True:
        f = first or rng.choice(FIRST)
        l = last or rng.choice(LAST)
        if (f + " " + l) not in used_names:
            break
        if first and last:
            break
    used_names.add(f + " " + l)
    p = Person(f, l, keep_accents)
    p.company = rng.choice(COMPANIES_COMMA) if rng.random() < 0.06 else ("" if rng.random() < 0.04 else rng.choice(COMPANIES))
    p.position = rng.choice(POSITIONS_COMMA) if rng.random() < 0.12 else rng.choice(POSITIONS)
    if not p.company and rng.random() < 0.5:
        p.position = ""
    return p


def rand_date(y0, y1):
    a = dt.date(y0, 1, 1).toordinal()
    b = min(dt.date(y1, 12, 31), EXPORT_DAY).toordinal()
    return dt.date.fromordinal(rng.randint(a, b))


YEAR_WEIGHTS = {2016: 10, 2017: 13, 2018: 18, 2019: 22, 2020: 20, 2021: 28, 2022: 33, 2023: 36,
                2024: 42, 2025: 48, 2026: 46}
BURSTS = {dt.date(2019, 4, 11): 12, dt.date(2023, 6, 22): 14}

conn_dates = []
for y, n in YEAR_WEIGHTS.items():
    for _ in range(n):
        conn_dates.append(rand_date(y, y))
for d, n in BURSTS.items():
    conn_dates += [d] * n
conn_dates.append(EXPORT_DAY)  # newest connection on the export date
conn_dates.sort(reverse=True)

connections = []
accent_iter = list(ACCENTED)
rng.shuffle(accent_iter)
for i, d in enumerate(conn_dates):
    if accent_iter and rng.random() < 0.05 and d.year >= 2017:
        f, l, keep = accent_iter.pop()
        p = new_person(f, l, keep)
    else:
        p = new_person()
    p.connected = d
    connections.append(p)
# place the remaining accented people at random older positions
RESERVED = {12, 95, 140, 177, 230}
for f, l, keep in accent_iter:
    while True:
        idx = rng.randrange(60, len(connections) - 20)
        if idx not in RESERVED and connections[idx].first not in [a[0] for a in ACCENTED]:
            break
    old = connections[idx]
    p = new_person(f, l, keep)
    p.connected = old.connected
    connections[idx] = p

# Dana Whitfield, PhD; Alex Moreno x2; an emoji name
def replace_at(idx, p):
    p.connected = connections[idx].connected
    connections[idx] = p
    return p

dana = Person("Dana", "Whitfield, PhD", slug="dana-whitfield-phd")
dana.company, dana.position = "Northgate University", "Senior Lecturer, Behavioural Science"
replace_at(140, dana)
alex1 = Person("Alex", "Moreno", slug="alex-moreno-3c91d0a2")
alex1.company, alex1.position = "Palisade Cloud", "Site Reliability Engineer"
replace_at(95, alex1)
alex2 = Person("Alex", "Moreno", slug="alexmoreno88")
alex2.company, alex2.position = "Gannet Maritime", "Operations Manager"
replace_at(230, alex2)
emoji = Person("Priya", "Ramaswamy 🌱", slug="priya-ramaswamy-5e0b7d14")
emoji.company, emoji.position = "Upland Agritech", "Head of Sustainability"
replace_at(12, emoji)

# stray spaces, a tab, a few e-mails
for p in rng.sample(connections, 14):
    k = rng.randrange(4)
    if k == 0:
        p.conn_first = p.first + " "
    elif k == 1:
        p.conn_last = p.last + " "
    elif k == 2:
        p.conn_first = " " + p.first
    elif p.company:
        p.company = p.company + " "
tabbed = connections[177]
tabbed.position = "Lead Engineer\tPayments"
for p in rng.sample(connections, 4):
    p.email = "%s.%s@example.%s" % (p.first.lower()[:1], urllib.parse.quote(p.last.lower().split()[0]).replace("%", "")[:12],
                                    rng.choice(["com", "net", "org"]))

by_day = {}
for p in connections:
    by_day.setdefault(p.connected, []).append(p)
burst_people = set(id(p) for d in BURSTS for p in by_day[d])

# --------------------------------------------------------------------------------------------
# invitations (decide before ties: notes raise the chance of a later two-way chat)
DEFAULT_NOTE = "I\u2019d like to add you to my professional network"
NOTES_OUT = [
    "Hi {first},  great meeting you at the analytics meetup on {day}. Would love to keep in touch!",
    "Hi {first}, I enjoyed your post about {topic}, we're wrestling with the same thing. Would be great to connect.",
    "Hello {first}, a friend of mine at your company said we should talk about {topic}. Happy to connect?",
    "{first}, thanks for the great session today, especially the bit on \"boring\" data pipelines 😄",
    "Hi {first}, we sat next to each other at the workshop, I was the one with the broken laptop charger!",
]
NOTES_IN = [
    "Hi Rowan, I loved your talk on {topic}. Would be great to connect and maybe chat sometime.",
    "Hi Rowan,  we met at the conference dinner, I'm the one who argued about dashboards all evening. Let's stay in touch!",
    "Hello Rowan, I'm starting out in data science and your posts have been really helpful. Mind if I connect?",
    "Hi Rowan, Dana suggested I reach out, we're both working on {topic}.",
]

inv_rows = []  # dicts: person, direction, sent(datetime), note_kind, message
window_conns = [p for p in connections if p.connected >= INV_START + dt.timedelta(days=3)]
invited = [p for p in window_conns if p is not emoji and p is not connections[0]]
rng.shuffle(invited)
invited = [connections[0]] + invited[:41] + [emoji]


def sent_time(day):
    return dt.datetime.combine(day, dt.time(rng.randint(7, 21), rng.randint(0, 59)))


def pick_note(kind, direction, first):
    if kind == "note":
        return fill(rng.choice(NOTES_OUT if direction == "OUTGOING" else NOTES_IN), first=first)
    if kind == "default":
        return DEFAULT_NOTE + (" on LinkedIn." if rng.random() < 0.2 else "")
    return ""


for p in invited:
    direction = "OUTGOING" if rng.random() < 0.62 else "INCOMING"
    lag = rng.randint(0, 12) if direction == "OUTGOING" else rng.randint(0, 6)
    day = max(p.connected - dt.timedelta(days=lag), INV_START)
    s = sent_time(day)
    if p.connected == EXPORT_DAY:
        s = dt.datetime(2026, 10, 13, 16, 42)
    r = rng.random()
    kind = "note" if r < 0.27 else ("default" if r < 0.40 else "none")
    inv_rows.append(dict(person=p, direction=direction, sent=s, kind=kind,
                         message=pick_note(kind, direction, p.first), accepted=True))
    p.tags.append("invite-" + kind)

pending = []
for i in range(17):
    p = new_person()
    direction = "OUTGOING" if i < 10 else "INCOMING"
    day = dt.date.fromordinal(rng.randint(INV_START.toordinal(), EXPORT_DAY.toordinal() - 1))
    r = rng.random()
    kind = "note" if r < 0.25 else ("default" if r < 0.35 else "none")
    inv_rows.append(dict(person=p, direction=direction, sent=sent_time(day), kind=kind,
                         message=pick_note(kind, direction, p.first), accepted=False))
    pending.append(p)
# one pending counterpart invited twice (an earlier invite, withdrawn and re-sent)
twice = pending[0]
first_inv = [r for r in inv_rows if r["person"] is twice][0]
earlier = first_inv["sent"] - dt.timedelta(days=rng.randint(40, 80))
if earlier.date() < INV_START:
    earlier = dt.datetime.combine(INV_START, dt.time(9, 14))
    first_inv["sent"] = earlier + dt.timedelta(days=50)
inv_rows.append(dict(person=twice, direction="OUTGOING", sent=earlier, kind="none", message="", accepted=False))

# --------------------------------------------------------------------------------------------
# messages
msgs = []          # dicts: conv, title, frm(Person|None), to(list), date, subject, content, folder, att, draft
conversations = {}  # conv id -> metadata


def conv_id():
    u = "%08x-%04x-4%03x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12),
                                         0x8000 | rng.getrandbits(14), rng.getrandbits(48))
    return "2-" + base64.b64encode((u + "_" + rng.choice(["010", "012", "013", "100"])).encode()).decode()


OWNER_P = Person(OWNER_FIRST, OWNER_LAST, slug="rowan-ellery-4b7a21c9")


def rand_dt(a, b):
    """random datetime between a and b (datetimes), daytime-ish hours"""
    if b <= a:
        return a
    span = int((b - a).total_seconds())
    t = a + dt.timedelta(seconds=rng.randrange(span))
    if t.hour < 6:
        t = t.replace(hour=rng.randint(8, 20))
    return min(max(t, a), b)


def gap():
    r = rng.random()
    if r < 0.55:
        s = rng.lognormvariate(6.5, 1.0)        # minutes-ish
    elif r < 0.85:
        s = rng.lognormvariate(9.0, 0.8)        # hours
    else:
        s = rng.lognormvariate(11.5, 0.7)       # a day or more
    return dt.timedelta(seconds=max(20, int(s)))


def add(conv, frm, to, when, content, title="", subject="", att=""):
    msgs.append(dict(conv=conv, title=title, frm=frm, to=to, date=when, subject=subject,
                     content=content, att=att, draft="No"))


def tie_conversation(alter, n, t0, t1, mode, owner_init=0.5, title="", subject=""):
    """n messages between owner and alter within [t0, t1]; mode two_way | owner_only | alter_only"""
    cid = conv_id()
    conversations[cid] = dict(kind="tie", alter=alter, folder=None)
    if mode != "two_way":
        times = sorted(rand_dt(t0, t1) for _ in range(n))
        times[0] = t0
        for k, t in enumerate(times):
            if mode == "owner_only":
                text = fill(rng.choice(CONGRATS if k == 0 else CHAT[:20]), first=alter.first)
                add(cid, OWNER_P, [alter], t, text)
            else:
                text = fill(PITCHES[min(k, len(PITCHES) - 1)] if k < 2 or rng.random() < 0.5 else rng.choice(PITCHES))
                add(cid, alter, [OWNER_P], t, text)
        return cid
    sessions = max(1, int(round(n / rng.uniform(3.0, 7.0))))
    starts = sorted(rand_dt(t0, t1) for _ in range(sessions))
    starts[0] = t0
    sizes = [1] * sessions
    for _ in range(n - sessions):
        sizes[rng.randrange(sessions)] += 1
    count = 0
    for si, (start, size) in enumerate(zip(starts, sizes)):
        side = OWNER_P if rng.random() < owner_init else alter
        t = start
        for k in range(size):
            if count == 0:
                text = fill(rng.choice(OPENERS_OWNER if side is OWNER_P else OPENERS_ALTER), first=alter.first)
            elif rng.random() < 0.06:
                text = fill(rng.choice(LONG), first=alter.first)
            else:
                text = fill(rng.choice(CHAT), first=alter.first)
            if t > t1:
                t = t1 - dt.timedelta(seconds=rng.randint(60, 3600) * (size - k))
            add(cid, side, [alter] if side is OWNER_P else [OWNER_P], t, text, title, subject)
            count += 1
            if rng.random() < 0.78:
                side = alter if side is OWNER_P else OWNER_P
            t = t + gap()
    # guarantee an exchange, and that the conversation ends at t1
    rows = [m for m in msgs if m["conv"] == cid]
    latest = max(rows, key=lambda m: m["date"])
    latest["date"] = max(latest["date"], t1)
    senders = set(id(m["frm"]) for m in rows)
    if len(senders) < 2 and len(rows) >= 2:
        m = rows[1]
        if m["frm"] is OWNER_P:
            m["frm"], m["to"] = alter, [OWNER_P]
        else:
            m["frm"], m["to"] = OWNER_P, [alter]
    return cid


def D(y, m, d, h=10):
    return dt.datetime(y, m, d, h, rng.randint(0, 59), rng.randint(0, 59))


candidates = [p for p in connections if id(p) not in burst_people and p not in (alex2,)]
taken = set()


def pick(pred):
    pool = [p for p in candidates if id(p) not in taken and pred(p)]
    p = rng.choice(pool)
    taken.add(id(p))
    return p


def cdt(p, days=0):
    return dt.datetime.combine(p.connected, dt.time(rng.randint(8, 20), rng.randint(0, 59), rng.randint(0, 59))) + dt.timedelta(days=days)


ties = []  # (person, n, t0, t1, mode)
tie_cid = {}  # id(person) -> conversation id

# the heavy tail: (count, connected-year range, first-message offset days, last message, mode)
jurgen = [p for p in connections if p.first == "Jürgen"][0]
taken.add(id(jurgen))
big_specs = [
    (700, (2016, 2017), None, dt.datetime(2026, 10, 15, 8, 47, 12)),    # best work friend, still active
    (460, (2017, 2018), None, D(2022, 3, 9)),                           # heavy, faded in 2022
    (320, (2023, 2024), None, D(2026, 9, 28)),                          # newer, active
    (210, (2018, 2019), None, D(2021, 11, 2)),                          # faded
    (140, (2020, 2021), None, D(2026, 6, 14)),
    (100, (2019, 2020), None, D(2023, 5, 20)),
    (85, (2021, 2022), None, D(2026, 8, 2)),
    (66, (2016, 2018), None, D(2020, 1, 17)),
    (52, (2022, 2023), None, D(2025, 2, 3)),
    (42, (2024, 2025), None, D(2026, 10, 2)),
]
for k, (n, (y0, y1), _, last) in enumerate(big_specs):
    p = pick(lambda q: y0 <= q.connected.year <= y1)
    t0 = cdt(p, rng.randint(1, 120))
    ties.append((p, n, t0, last, "two_way"))
# Jürgen: raw-Unicode URL in messages vs percent-encoded in Connections; active
ties.append((jurgen, 140, max(cdt(jurgen, 3), D(2017, 1, 5)), D(2026, 9, 3), "two_way"))
# Alex Moreno #1 (same name as another connection), faded
taken.add(id(alex1))
ties.append((alex1, 21, cdt(alex1, 30), cdt(alex1, 30) + dt.timedelta(days=400), "two_way"))
# Dana: some 1:1 messages too
taken.add(id(dana))
ties.append((dana, 14, cdt(dana, 10), D(2026, 4, 21), "two_way"))
# other accented people with messages (raw Unicode URLs in messages)
for p in [q for q in connections if q.first in ("Zoë", "Ségolène", "Çağla")]:
    taken.add(id(p))
    t0 = cdt(p, rng.randint(2, 200))
    last = min(t0 + dt.timedelta(days=rng.randint(20, 900)), EXPORT_END - dt.timedelta(days=2))
    ties.append((p, rng.randint(4, 26), t0, last, "two_way"))
# messages that started before connecting (met via InMail first)
for _ in range(2):
    p = pick(lambda q: 2018 <= q.connected.year <= 2024)
    t0 = cdt(p, -rng.randint(20, 200))
    ties.append((p, rng.randint(6, 18), t0, cdt(p, rng.randint(30, 300)), "two_way"))
# small two-way ties that faded years ago
for _ in range(6):
    p = pick(lambda q: q.connected.year <= 2022)
    n = min(max(2, int(rng.paretovariate(1.3) * 2.5)), 28)
    t0 = cdt(p, int(rng.expovariate(1 / 90)))
    last = min(t0 + dt.timedelta(days=int(rng.expovariate(1 / 250)) + 1), D(2024, 6, 30))
    ties.append((p, n, t0, last, "two_way"))
# recent connections with invitations: a note raises the chance of a two-way chat
for r in inv_rows:
    p = r["person"]
    if not r["accepted"] or id(p) in taken:
        continue
    prob = 0.70 if r["kind"] == "note" else 0.06
    if rng.random() < prob:
        taken.add(id(p))
        t0 = cdt(p, rng.randint(0, 20))
        if t0 > EXPORT_END - dt.timedelta(hours=6):
            t0 = EXPORT_END - dt.timedelta(hours=6)
        last = min(t0 + dt.timedelta(days=rng.randint(1, 120)), EXPORT_END - dt.timedelta(hours=1))
        ties.append((p, rng.randint(2, 16), t0, last, "two_way"))
# one-way: owner-only and alter-only
for _ in range(4):
    p = pick(lambda q: q.connected < dt.date(2026, 9, 1))
    t0 = cdt(p, rng.randint(0, 400))
    t0 = min(t0, EXPORT_END - dt.timedelta(days=3))
    ties.append((p, rng.randint(1, 2), t0, min(t0 + dt.timedelta(days=rng.randint(5, 60)), EXPORT_END), "owner_only"))
for _ in range(5):
    p = pick(lambda q: q.connected < dt.date(2026, 9, 1))
    t0 = cdt(p, rng.randint(0, 30))
    t0 = min(t0, EXPORT_END - dt.timedelta(days=3))
    ties.append((p, rng.randint(1, 4), t0, min(t0 + dt.timedelta(days=rng.randint(5, 40)), EXPORT_END), "alter_only"))
# a burst-day connection who only got a pitch
bp = [p for p in connections if p.connected == dt.date(2023, 6, 22)][3]
ties.append((bp, 2, cdt(bp, 2), cdt(bp, 9), "alter_only"))

LATEST_TIE = EXPORT_END - dt.timedelta(hours=13)  # only the first (best) tie reaches 2026-10-15 08:47
for k, (p, n, t0, t1, mode) in enumerate(ties):
    if k > 0:
        if t0 > LATEST_TIE - dt.timedelta(days=1):
            t0 = LATEST_TIE - dt.timedelta(days=rng.uniform(1.5, 4))
        t1 = min(t1, LATEST_TIE - dt.timedelta(hours=rng.uniform(2, 30)))
    if t1 <= t0:
        t1 = t0 + dt.timedelta(hours=rng.uniform(2, 20))
    cid = tie_conversation(p, n, t0, t1, mode, owner_init=rng.uniform(0.35, 0.65))
    tie_cid[id(p)] = cid
    if mode == "owner_only":
        p.tags.append("one-way-owner")
    elif mode == "alter_only":
        p.tags.append("one-way-alter")

# message partners who are not connections
recruiters = []
rec_names = [("Harriet", "Okoro-Blake"), ("Magnus", "Feldtmann"), ("Lena", "Castelló"), ("Corinne", "Adjei"),
             ("Rory", "Pendleford"), ("Tanvi", "Mehrotra")]
roles = ["Staff Analytics Engineer", "Head of Data Science", "Principal Data Scientist", "Director of Analytics",
         "Lead Machine Learning Engineer", "Senior Product Analyst"]
for i, (f, l) in enumerate(rec_names):
    p = Person(f, l, keep_accents=True)
    used_names.add(p.name)
    company = rng.choice(COMPANIES)
    title = "%s \u2013 %s" % (roles[i], company)
    t0 = D(rng.choice([2019, 2021, 2022, 2024, 2025, 2026]), rng.randint(1, 9), rng.randint(1, 28))
    cid = conv_id()
    conversations[cid] = dict(kind="recruiter", alter=p, folder=None)
    add(cid, p, [OWNER_P], t0, fill(rng.choice(RECRUITER_OPEN), role=roles[i], company=company, me=f), title, title)
    t = t0 + dt.timedelta(days=rng.randint(2, 9))
    if i < 3:   # one-way pitches
        add(cid, p, [OWNER_P], t, RECRUITER_FOLLOW[0], title, title)
    else:       # owner replies
        add(cid, OWNER_P, [p], t, fill(OWNER_TO_RECRUITER[i - 3], first=f), title, title)
        t += gap()
        add(cid, p, [OWNER_P], t, RECRUITER_FOLLOW[1 if i != 4 else 2], title, title)
        if i == 4:
            t += gap()
            add(cid, OWNER_P, [p], t, "Thanks, Tuesday 3pm works. Looking forward to it.", title, title)
            t += gap()
            add(cid, p, [OWNER_P], t, "Great, invite sent! Speak then.", title, title)
    recruiters.append(p)
# an ex-colleague who is not a connection (accented name: raw Unicode URL only)
excol = Person("Inès", "Marchetti-Wolff", keep_accents=True)
cid = tie_conversation(excol, 26, D(2020, 2, 3), D(2026, 7, 30), "two_way")
conversations[cid]["kind"] = "partner"

# group conversations
def group(members, n, t0, t1, title, owner_share, omit_owner_in_to=False):
    cid = conv_id()
    conversations[cid] = dict(kind="group", members=members, folder=None)
    everyone = [OWNER_P] + members
    times = sorted(rand_dt(t0, t1) for _ in range(n))
    times[0] = t0
    talkers = members[: max(2, len(members) - 1)]  # one member of larger groups never speaks
    for k, t in enumerate(times):
        if k == 0:
            frm = OWNER_P if rng.random() < 0.5 else members[0]
            text = "Hi all! Adding everyone here so we stop losing emails 🙂"
        else:
            frm = OWNER_P if rng.random() < owner_share else rng.choice(talkers)
            text = fill(rng.choice(GROUP_LINES[1:]), first=rng.choice(members).first)
        to = [p for p in everyone if p is not frm]
        if omit_owner_in_to and frm is not OWNER_P:
            to = [p for p in to if p is not OWNER_P]
        add(cid, frm, to, t, text, title)
    return cid


g_members = []
gpool = [p for p in connections if id(p) not in taken and id(p) not in burst_people and p is not alex2]
rng.shuffle(gpool)
big0 = ties[0][0]
g1 = [big0, gpool.pop()]
group(g1, 45, D(2021, 3, 2), D(2021, 9, 30), "", 0.35)
g2 = [ties[2][0], ties[6][0], gpool.pop()]
group(g2, 80, D(2024, 11, 4), D(2025, 6, 12), "Offsite planning \U0001F332", 0.3)
g3 = [dana, jurgen, gpool.pop(), ties[4][0], ties[8][0]]
group(g3, 120, D(2025, 1, 15), D(2026, 10, 1), "Reading group: causal inference", 0.25)
g4_partner = Person("Tomasz", "Wróblewski", keep_accents=True)
g4 = [gpool.pop(), ties[1][0], ties[3][0], gpool.pop(), g4_partner, ties[7][0], dana]
group(g4, 90, D(2022, 5, 9), D(2023, 2, 14), "Class of 2014 reunion", 0.2, omit_owner_in_to=True)
groups = [g1, g2, g3, g4]

# attachments on a few rows of the biggest conversations
big_convs = sorted(conversations, key=lambda c: -sum(1 for m in msgs if m["conv"] == c))[:4]
for c in big_convs:
    rows = [m for m in msgs if m["conv"] == c]
    m = rng.choice(rows)
    m["att"] = "https://www.linkedin.com/dms/prv/image/v2/D4E06AQ%s/messaging-image-720/0/%d?m=AQ%s&ne=1&v=beta&t=%s" % (
        "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789") for _ in range(14)),
        int(m["date"].replace(tzinfo=dt.timezone.utc).timestamp() * 1000),
        "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(30)),
        "".join(rng.choice("abcdefghijkmnopqrstuvwxyz0123456789_-") for _ in range(43)))
    if rng.random() < 0.5:
        m["content"] = ""

# folders: ARCHIVE for some faded conversations, INBOX otherwise
for c, meta in conversations.items():
    last = max(m["date"] for m in msgs if m["conv"] == c)
    p_arch = 0.35 if last < ACTIVE_CUT else 0.05
    meta["folder"] = "ARCHIVE" if rng.random() < p_arch else "INBOX"
for m in msgs:
    m["folder"] = conversations[m["conv"]]["folder"]

# quirks -----------------------------------------------------------------------------------
quirks = {}
# sponsored
SPONSORED = [
    "<p class=\"promo-body\">Hi Rowan, %FIRSTNAME% teams everywhere are switching to smarter reporting.</p><p class=\"promo-body\">Join our free webinar on {day} to see how, and claim your \"starter kit\".</p>",
    "<p class=\"promo-body\">Rowan, ready for your next step? Our part-time MSc in Data Leadership starts in January, 100% online.</p><p class=\"promo-body\">Download the brochure today.</p>",
]
for k, when in enumerate([D(2025, 11, 19, 14), D(2026, 3, 4, 9)]):
    cid = conv_id()
    conversations[cid] = dict(kind="sponsored", folder="INBOX")
    msgs.append(dict(conv=cid, title="Sponsored Conversation", frm="LinkedIn Member", to=[OWNER_P], date=when,
                     subject="", content=fill(SPONSORED[k]), att="", draft="No", folder="INBOX"))
quirks["sponsored"] = 2
# spam: two rows in one conversation from a stranger
spammer = Person("Victor", "Lindgard-Mace", slug="victor-lindgard-mace-0f3e9a71")
cid = conv_id()
conversations[cid] = dict(kind="spam", folder="SPAM")
t = D(2025, 8, 12, 3)
for text in ["Hello dear Rowan, I have a VERY exciting investment opportunity for you, returns of 40% per month, guaranteed!!",
             "Dear, did you see my message? Reply fast, spaces are limited."]:
    msgs.append(dict(conv=cid, title="", frm=spammer, to=[OWNER_P], date=t, subject="", content=text,
                     att="", draft="No", folder="SPAM"))
    t += dt.timedelta(days=2, minutes=17)
quirks["spam"] = 2
# draft: empty conversation id, empty TO, empty folder
draft_to = ties[6][0]
msgs.append(dict(conv="", title="", frm=OWNER_P, to=[], date=D(2026, 9, 30, 21), subject="",
                 content="Hi %s, following up on our chat, I put together a few thoughts on the proposal, but" % draft_to.first,
                 att="", draft="Yes", folder=""))
quirks["draft"] = 1
# empty FROM/TO/CONTENT row inside a faded tie conversation
host = [m for m in msgs if m["conv"] == tie_cid[id(ties[1][0])]]
h = rng.choice(host)
msgs.append(dict(conv=h["conv"], title="", frm=None, to=[], date=h["date"] + dt.timedelta(minutes=3), subject="",
                 content="", att="", draft="No", folder=h["folder"]))
quirks["empty"] = 1


# --------------------------------------------------------------------------------------------
# render rows
def fmt_msg_date(t):
    return t.strftime("%Y-%m-%d %H:%M:%S") + " UTC"


def msg_fields(m):
    frm = m["frm"]
    if frm is None:
        fname, furl = "", ""
    elif frm == "LinkedIn Member":
        fname, furl = "LinkedIn Member", ""
    else:
        fname, furl = frm.name, frm.url
    to = m["to"]
    return [m["conv"], m["title"], fname, furl, ",".join(p.name for p in to), ",".join(p.url for p in to),
            fmt_msg_date(m["date"]), m["subject"], m["content"], m["folder"], m["att"], m["draft"]]


# conversations newest first, rows newest first; drafts/blank-id rows are their own block
blocks = {}
for m in msgs:
    blocks.setdefault(m["conv"] or "draft", []).append(m)
ordered = sorted(blocks.values(), key=lambda rows: max(r["date"] for r in rows), reverse=True)
msg_rows = []
for rows in ordered:
    rows.sort(key=lambda r: r["date"], reverse=True)
    msg_rows += [msg_fields(r) for r in rows]
assert all(r["date"] <= EXPORT_END for r in msgs)

# two exact duplicate rows (adjacent copies) in the biggest conversation
big_cid = tie_cid[id(ties[0][0])]
dup_idx = [i for i, r in enumerate(msg_rows) if r[2] and r[0] == big_cid]
for i in sorted(rng.sample(dup_idx[5:-5], 2), reverse=True):
    msg_rows.insert(i + 1, list(msg_rows[i]))
quirks["duplicates"] = 2

MSG_HEADER = ["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO", "RECIPIENT PROFILE URLS",
              "DATE", "SUBJECT", "CONTENT", "FOLDER", "ATTACHMENTS", "IS MESSAGE DRAFT"]


def fmt_conn_date(d):
    return "%02d %s %d" % (d.day, MONTHS[d.month - 1], d.year)


conn_rows = []
for p in connections:
    conn_rows.append([p.conn_first, p.conn_last, p.url_pct, p.email, p.company, p.position, fmt_conn_date(p.connected)])
# blank rows (members hiding their profile): only the date
for d in [dt.date(2021, 8, 3), dt.date(2024, 2, 19), dt.date(2026, 5, 7)]:
    conn_rows.append(["", "", "", "", "", "", fmt_conn_date(d)])
MON = {m: i + 1 for i, m in enumerate(MONTHS)}


def conn_key(r):
    dd, mm, yy = r[6].split()
    return dt.date(int(yy), MON[mm], int(dd))


# stable sort newest first (blank rows land among their date's rows)
conn_rows.sort(key=conn_key, reverse=True)
# two exact duplicate rows
nonblank = [i for i, r in enumerate(conn_rows) if r[0] and 30 < i < len(conn_rows) - 30]
for i in sorted(rng.sample(nonblank, 2), reverse=True):
    conn_rows.insert(i + 1, list(conn_rows[i]))
CONN_HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
NOTES_LINE = ('"When exporting your connection data, you may notice that some of the email addresses are missing. '
              'You will only see email addresses for connections who have allowed their connections to see or download '
              'their email address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn '
              'more here https://www.linkedin.com/help/linkedin/answer/261"')


def fmt_sent(t):
    h = t.hour % 12 or 12
    return "%d/%d/%02d, %d:%02d %s" % (t.month, t.day, t.year % 100, h, t.minute, "AM" if t.hour < 12 else "PM")


inv_out = sorted([r for r in inv_rows if r["direction"] == "OUTGOING"], key=lambda r: r["sent"], reverse=True)
inv_in = sorted([r for r in inv_rows if r["direction"] == "INCOMING"], key=lambda r: r["sent"], reverse=True)
inv_csv_rows = []
for r in inv_out + inv_in:
    p = r["person"]
    if r["direction"] == "OUTGOING":
        row = [OWNER, p.name, fmt_sent(r["sent"]), r["message"], "OUTGOING", OWNER_URL, p.url]
    else:
        row = [p.name, OWNER, fmt_sent(r["sent"]), r["message"], "INCOMING", p.url, OWNER_URL]
    inv_csv_rows.append(row)
INV_HEADER = ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl"]

PROFILE_HEADER = ["First Name", "Last Name", "Maiden Name", "Address", "Birth Date", "Headline", "Summary", "Industry",
                  "Zip Code", "Geo Location", "Twitter Handles", "Websites", "Instant Messengers"]
PROFILE_ROW = [OWNER_FIRST, OWNER_LAST, "", "", "Mar 14", "Head of Analytics at Brightwater Analytics | Experimentation, causal inference, and honest dashboards",
               "I help product teams make decisions with data, not despite it. Ten years across health tech, logistics and fintech, "
               "mostly building analytics teams from scratch. Interested in experimentation, measurement, and \"boring\" data pipelines that just work.",
               "Technology, Information and Internet", "", "Leeds, England, United Kingdom", "", "[BLOG:https://rowanellery.example]", ""]


# --------------------------------------------------------------------------------------------
# write
def write_csv(path, header, rows, quoting, trailing_newline, preamble=""):
    buf = io.StringIO()
    w = csv.writer(buf, quoting=quoting, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    text = preamble + buf.getvalue()
    if not trailing_newline:
        text = text[:-1]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


os.makedirs(OUT, exist_ok=True)
write_csv(os.path.join(OUT, "Profile.csv"), PROFILE_HEADER, [PROFILE_ROW], csv.QUOTE_MINIMAL, True)
write_csv(os.path.join(OUT, "Connections.csv"), CONN_HEADER, conn_rows, csv.QUOTE_MINIMAL, False,
          preamble="Notes:\n" + NOTES_LINE + "\n\n")
write_csv(os.path.join(OUT, "messages.csv"), MSG_HEADER, msg_rows, csv.QUOTE_ALL, True)
write_csv(os.path.join(OUT, "Invitations.csv"), INV_HEADER, inv_csv_rows, csv.QUOTE_MINIMAL, True)


# --------------------------------------------------------------------------------------------
# sanity check: re-read with csv and summarise what was planted
def read(path, skip=0):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[skip], rows[skip + 1:]


problems = []
summary = {}
h, rows = read(os.path.join(OUT, "Profile.csv"))
problems += ["Profile row %d" % i for i, r in enumerate(rows) if len(r) != len(h)]
h, crow = read(os.path.join(OUT, "Connections.csv"), skip=3)
assert h == CONN_HEADER, h
problems += ["Connections row %d" % i for i, r in enumerate(crow) if len(r) != len(h)]
h, mrow = read(os.path.join(OUT, "messages.csv"))
assert h == MSG_HEADER, h
problems += ["messages row %d" % i for i, r in enumerate(mrow) if len(r) != len(h)]
h, irow = read(os.path.join(OUT, "Invitations.csv"))
assert h == INV_HEADER, h
problems += ["Invitations row %d" % i for i, r in enumerate(irow) if len(r) != len(h)]

seen, cdup = set(), 0
for r in crow:
    t = tuple(r)
    cdup += t in seen
    seen.add(t)
cblank = sum(1 for r in crow if not r[0] and not r[2])
people_urls = set(urllib.parse.unquote(r[2]) for r in crow if r[2])
seen, mdup = set(), 0
for r in mrow:
    t = tuple(r)
    mdup += t in seen
    seen.add(t)

# per-tie figures over "counted" rows (rough re-implementation of METRICS §3/§4 for the summary)
counted = []
seen = set()
for r in mrow:
    t = tuple(r)
    if t in seen:
        continue
    seen.add(t)
    if r[11] == "Yes" or (not r[0] and not r[4]) or r[1] == "Sponsored Conversation" or r[9] == "SPAM":
        continue
    if r[2] == "LinkedIn Member" or (not r[2] and not r[3]):
        continue
    counted.append(r)
sent, recv, last = {}, {}, {}
convs_with = {}
for r in counted:
    when = dt.datetime.strptime(r[6], "%Y-%m-%d %H:%M:%S UTC")
    if r[3] == OWNER_URL:
        for u in filter(None, r[5].split(",")):
            sent[u] = sent.get(u, 0) + 1
            convs_with.setdefault(u, {}).setdefault(r[0], set()).add("s")
            last[u] = max(last.get(u, when), when)
    else:
        u = r[3]
        recv[u] = recv.get(u, 0) + 1
        convs_with.setdefault(u, {}).setdefault(r[0], set()).add("r")
        last[u] = max(last.get(u, when), when)
alters = set(sent) | set(recv)
state = {}
for u in people_urls | alters:
    if u not in alters:
        state[u] = "dormant"
    elif not any(v == {"s", "r"} for v in convs_with[u].values()):
        state[u] = "one_way"
    else:
        state[u] = "active" if last[u] >= ACTIVE_CUT else "faded"
conn_states = {}
for u in people_urls:
    conn_states[state[u]] = conn_states.get(state[u], 0) + 1
partner_states = {}
for u in alters - people_urls:
    partner_states[state[u]] = partner_states.get(state[u], 0) + 1
per_tie = sorted(((sent.get(u, 0) + recv.get(u, 0)), u) for u in people_urls if u in alters)
all_dates = ([dt.datetime.strptime(r[6], "%Y-%m-%d %H:%M:%S UTC").date() for r in mrow if r[6]] +
             [conn_key(r) for r in crow] +
             [dt.datetime.strptime(r[2], "%m/%d/%y, %I:%M %p").date() for r in irow])
inv_kinds = {}
for r in inv_rows:
    inv_kinds[r["kind"]] = inv_kinds.get(r["kind"], 0) + 1
day_counts = {}
for r in crow:
    day_counts[r[6]] = day_counts.get(r[6], 0) + 1

print("files written to", OUT)
for fn in sorted(os.listdir(OUT)):
    print("  %-16s %8d bytes" % (fn, os.path.getsize(os.path.join(OUT, fn))))
print("malformed rows (field count != header):", len(problems), problems[:5])
print("export date (latest date in any file):", max(all_dates))
print("Connections.csv: %d rows = %d people + %d blank + %d exact duplicates; %d unique URLs; "
      "%d percent-encoded URLs; burst days: %s" % (
          len(crow), len(crow) - cblank - cdup, cblank, cdup, len(people_urls),
          sum(1 for r in crow if "%" in r[2]),
          ", ".join("%s (%d)" % (d, n) for d, n in day_counts.items() if n >= 10)))
print("  same-name pair: Alex Moreno x2; comma name: Dana Whitfield, PhD; emoji name: %s; tab in Position: 1; e-mails: %d"
      % (emoji.name, sum(1 for r in crow if r[3])))
print("messages.csv: %d rows; %d conversations; counted (approx. METRICS §3): %d" % (
    len(mrow), len(set(r[0] for r in mrow)), len(counted)))
print("  quirks: sponsored %d, spam %d, draft %d, exact duplicates %d, empty FROM/TO/CONTENT %d, attachments %d, "
      "rows with newline in CONTENT %d" % (
          sum(1 for r in mrow if r[1] == "Sponsored Conversation"), sum(1 for r in mrow if r[9] == "SPAM"),
          sum(1 for r in mrow if r[11] == "Yes"), mdup, sum(1 for r in mrow if not r[2] and not r[4] and not r[8]),
          sum(1 for r in mrow if r[10]), sum(1 for r in mrow if "\n" in r[8])))
print("  folders:", {f: sum(1 for r in mrow if r[9] == f) for f in ["INBOX", "ARCHIVE", "SPAM", ""]})
print("  groups: %d conversations, participants incl. owner: %s" % (len(groups), [len(g) + 1 for g in groups]))
print("  connection states (approx. METRICS §4):", conn_states,
      "never-pollinated share %.3f" % ((conn_states.get("dormant", 0) + conn_states.get("one_way", 0)) / len(people_urls)))
print("  message partners (not connections):", partner_states, sorted(u.rsplit("/", 1)[1] for u in alters - people_urls))
print("  messages per messaged connection, top 8:", [n for n, _ in per_tie[::-1][:8]], "median", per_tie[len(per_tie) // 2][0])
print("Invitations.csv: %d rows (%d OUTGOING, %d INCOMING); accepted %d, pending rows %d (one counterpart twice); "
      "notes: personal %d, default text %d, empty %d; Sent At %s .. %s" % (
          len(irow), sum(1 for r in irow if r[4] == "OUTGOING"), sum(1 for r in irow if r[4] == "INCOMING"),
          sum(1 for r in inv_rows if r["accepted"]), sum(1 for r in inv_rows if not r["accepted"]),
          inv_kinds.get("note", 0), inv_kinds.get("default", 0), inv_kinds.get("none", 0),
          min(r["sent"] for r in inv_rows).date(), max(r["sent"] for r in inv_rows).date()))
acc = [r for r in inv_rows if r["accepted"]]
for kind in ["note", "default", "none"]:
    grp = [r for r in acc if r["kind"] == kind]
    pol = sum(1 for r in grp if state.get(r["person"].url) in ("active", "faded"))
    print("  accepted with %-7s: %2d, later pollinated %d" % (kind, len(grp), pol))
if problems:
    sys.exit(1)
