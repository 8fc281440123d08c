#!/usr/bin/env python3
"""Independent expected values for orchard on the real LinkedIn exports.

This is NOT part of orchard. It is a small, deliberately separate re-implementation of
/work/shared/METRICS.md sections 1-3 (identity and owner detection, the as-of date, and
the row accounting buckets of Connections.csv, messages.csv and Invitations.csv), written
in Python with the standard library only, so that orchard's accounting on the real exports
in /work/shared/real-exports can be checked against numbers computed by different code.

For every export folder (a folder that directly holds a Connections* or messages* file;
files are matched case-insensitively by prefix, in the folder itself only) it computes:
  * as_of      - latest UTC calendar date among all parseable dates of the three files,
                 whatever bucket their rows land in (METRICS 2);
  * accounting - the buckets of METRICS 3 per file (null when the file is absent);
  * owner_name / owner_key - METRICS 1 (Profile.csv, else most distinct conversations of
                 counted messages; key = usable URL most often paired with the owner's name).
It prints a table and writes real_exports_expected.json next to this script.

Usage: expected_real_exports.py [REAL_EXPORTS_DIR] [OUTPUT_JSON]
"""

import collections
import csv
import datetime as dt
import io
import json
import os
import re
import sys
import urllib.parse

DEFAULT_ROOT = "/work/shared/real-exports"
DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "real_exports_expected.json")

PREFIXES = ("connections", "messages", "invitations", "profile")

CONN_BUCKETS = ["blank", "duplicate", "bad_date", "after_cutoff", "counted"]
MSG_BUCKETS = ["malformed", "duplicate", "draft", "sponsored", "spam", "anonymous",
               "bad_date", "after_cutoff", "counted"]
INV_BUCKETS = ["malformed", "bad_date", "after_cutoff", "counted"]

WARNINGS = []


def warn(msg):
    WARNINGS.append(msg)


# ---------------------------------------------------------------- names and URLs (§1)

def norm_name(s):
    """Trimmed, inner whitespace collapsed, lowercased (the name key without `name:`)."""
    return " ".join((s or "").split()).lower()


def display_name(s):
    return " ".join((s or "").split())


def is_anonymous_name(name):
    return norm_name(name) == "linkedin member"


_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*://")
_SUBDOMAIN = re.compile(r"^(?:www|[a-z]{2,3})\.(?=linkedin\.com(?:/|$))")
_USABLE = re.compile(r"^linkedin\.com/in/([^/]+)$")


def url_key(url):
    """METRICS §1 URL key, or None when the URL is not usable."""
    if url is None:
        return None
    s = url.strip()
    if not s:
        return None
    s = urllib.parse.unquote(s, encoding="utf-8", errors="replace")
    s = s.lower()
    s = _SCHEME.sub("", s, count=1)
    s = _SUBDOMAIN.sub("", s, count=1)
    s = re.split(r"[?#]", s, maxsplit=1)[0]
    s = s.rstrip("/")
    m = _USABLE.match(s)
    if not m or not m.group(1).strip():
        return None
    return s


def split_to(to):
    """TO split at every comma not followed by a space; pieces trimmed, empties dropped."""
    return [p.strip() for p in re.split(r",(?! )", to or "") if p.strip()]


# ---------------------------------------------------------------- dates (§2)

_DATE_FORMATS = [
    # (regex, strptime format applied to the regex's first group)
    (re.compile(r"^(\d{4}-\d{2}-\d{2}) \d{1,2}:\d{2}:\d{2} UTC$"), "%Y-%m-%d"),
    (re.compile(r"^(\d{4}-\d{2}-\d{2})T\d{1,2}:\d{2}:\d{2}(?:\.\d+)?Z?$"), "%Y-%m-%d"),
    (re.compile(r"^(\d{1,2} [A-Za-z]{3} \d{4})$"), "%d %b %Y"),
    (re.compile(r"^(\d{1,2}-[A-Za-z]{3}-\d{2})$"), "%d-%b-%y"),
    (re.compile(r"^(\d{1,2}/\d{1,2}/\d{2}), \d{1,2}:\d{2} [AaPp][Mm]$"), "%m/%d/%y"),
]


def parse_date(value):
    """UTC calendar date of a date/time field, or None when unparseable or missing.

    Zone-less times are UTC (METRICS §2), so the calendar date is the date part; the time of
    day is validated by the regex but never shifts the date.
    """
    if value is None:
        return None
    s = value.strip()
    if not s:
        return None
    for rx, fmt in _DATE_FORMATS:
        m = rx.match(s)
        if m:
            try:
                d = dt.datetime.strptime(m.group(1), fmt).date()
            except ValueError:
                return None
            return d
    return None


# ---------------------------------------------------------------- CSV reading

def read_text(path):
    raw = open(path, "rb").read()
    if raw.startswith(b"\xff\xfe") or raw.startswith(b"\xfe\xff"):
        return raw.decode("utf-16")
    if raw.startswith(b"PK\x03\x04"):
        warn("%s: looks like a zip/xlsx, not a CSV" % path)
    text = raw.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def read_records(path):
    """All CSV records (blank lines dropped) and the set of indexes of records whose
    quoting is structurally broken (unterminated quote at end of file)."""
    text = read_text(path)
    broken = set()
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as e:
        # Non-strict parsing swallows an unterminated quote up to EOF into one record.
        records = list(csv.reader(io.StringIO(text, newline="")))
        if "unexpected end of data" in str(e):
            broken.add(len(records) - 1)
        else:
            warn("%s: strict CSV error tolerated (%s)" % (path, e))
    out, out_broken = [], set()
    for i, r in enumerate(records):
        if not r or (len(r) == 1 and not r[0].strip() and i not in broken):
            continue  # blank line: not a row
        if i in broken:
            out_broken.add(len(out))
        out.append(r)
    return out, out_broken


def header_index(header):
    return {h.strip().lstrip("\ufeff").upper(): i for i, h in enumerate(header)}


def find_header(records, required):
    """Index of the first record that holds every required column name."""
    for i, r in enumerate(records):
        names = {c.strip().lstrip("\ufeff").upper() for c in r}
        if all(c in names for c in required):
            return i
    return None


# ---------------------------------------------------------------- per file

def load_connections(path):
    recs, broken = read_records(path)
    h = find_header(recs, ["FIRST NAME", "LAST NAME", "CONNECTED ON"])
    if h is None:
        warn("%s: no Connections header found" % path)
        return [], [], []
    ix = header_index(recs[h])
    ncol = len(recs[h])
    rows = recs[h + 1:]
    dates = []
    rowinfo = []
    for n, r in enumerate(rows):
        if len(r) != ncol or (h + 1 + n) in broken:
            warn("%s: connection row %d has %d fields, header %d (padded/truncated)"
                 % (path, n + 1, len(r), ncol))
        r = (list(r) + [""] * ncol)[:ncol]
        r = ["" if v == "NA" else v for v in r]  # Excel's NA = empty (METRICS §1)
        get = lambda c: r[ix[c]] if c in ix else ""
        d = parse_date(get("CONNECTED ON"))
        if d:
            dates.append(d)
        rowinfo.append((tuple(r), get("FIRST NAME"), get("LAST NAME"), url_key(get("URL")), d))
    return rows, rowinfo, dates


def account_connections(rowinfo, cutoff):
    acc = {"rows": len(rowinfo), **{b: 0 for b in CONN_BUCKETS}}
    seen_rows, seen_urls = set(), set()
    counted = []
    for full, first, last, key, d in rowinfo:
        name = norm_name(first + " " + last)
        if not name and key is None:
            b = "blank"
        elif full in seen_rows or (key is not None and key in seen_urls):
            b = "duplicate"
        elif d is None:
            b = "bad_date"
        elif d >= cutoff:
            b = "after_cutoff"
        else:
            b = "counted"
            counted.append((full, first, last, key, d))
        acc[b] += 1
        seen_rows.add(full)
        if key is not None:
            seen_urls.add(key)
    return acc, counted


def load_messages(path):
    recs, broken = read_records(path)
    h = find_header(recs, ["FROM", "TO", "DATE"])
    if h is None:
        warn("%s: no messages header found" % path)
        return None
    header = recs[h]
    ix = header_index(header)
    rows = []
    dates = []
    for n, r in enumerate(recs[h + 1:]):
        malformed = len(r) != len(header) or (h + 1 + n) in broken
        d = None
        if not malformed:
            d = parse_date(r[ix["DATE"]])
            if d:
                dates.append(d)
        rows.append((r, malformed, d))
    return {"ix": ix, "rows": rows, "dates": dates}


def account_messages(m, cutoff):
    ix = m["ix"]
    has_conv = "CONVERSATION ID" in ix
    acc = {"rows": len(m["rows"]), **{b: 0 for b in MSG_BUCKETS}}
    seen = set()
    counted = []
    for r, malformed, d in m["rows"]:
        get = lambda c: r[ix[c]] if c in ix else ""
        if malformed:
            b = "malformed"
        elif tuple(r) in seen:
            b = "duplicate"
        elif get("IS MESSAGE DRAFT").strip().lower() == "yes" or (
                has_conv and not get("CONVERSATION ID").strip() and not get("TO").strip()):
            b = "draft"
        elif get("CONVERSATION TITLE").strip() == "Sponsored Conversation":
            b = "sponsored"
        elif get("FOLDER").strip().upper() == "SPAM":
            b = "spam"
        elif is_anonymous_name(get("FROM")) or (
                not norm_name(get("FROM")) and url_key(get("SENDER PROFILE URL")) is None):
            b = "anonymous"
        elif d is None:
            b = "bad_date"
        elif d >= cutoff:
            b = "after_cutoff"
        else:
            b = "counted"
            counted.append({
                "conv": get("CONVERSATION ID").strip() if has_conv else None,
                "from": get("FROM"),
                "from_url": get("SENDER PROFILE URL"),
                "to": get("TO"),
                "to_urls": get("RECIPIENT PROFILE URLS") if "RECIPIENT PROFILE URLS" in ix else None,
            })
        acc[b] += 1
        if not malformed:
            seen.add(tuple(r))
    return acc, counted


def load_invitations(path):
    recs, broken = read_records(path)
    h = find_header(recs, ["FROM", "TO", "SENT AT"])
    if h is None:
        warn("%s: no Invitations header found" % path)
        return None
    header = recs[h]
    ix = header_index(header)
    rows, dates = [], []
    for n, r in enumerate(recs[h + 1:]):
        malformed = len(r) != len(header) or (h + 1 + n) in broken
        d = None if malformed else parse_date(r[ix["SENT AT"]])
        if d:
            dates.append(d)
        rows.append((malformed, d))
    return {"rows": rows, "dates": dates}


def account_invitations(inv, cutoff):
    acc = {"rows": len(inv["rows"]), **{b: 0 for b in INV_BUCKETS}}
    for malformed, d in inv["rows"]:
        if malformed:
            b = "malformed"
        elif d is None:
            b = "bad_date"
        elif d >= cutoff:
            b = "after_cutoff"
        else:
            b = "counted"
        acc[b] += 1
    return acc


def profile_name(path):
    recs, _ = read_records(path)
    h = find_header(recs, ["FIRST NAME", "LAST NAME"])
    if h is None or len(recs) <= h + 1:
        return None
    ix = header_index(recs[h])
    r = recs[h + 1]
    name = display_name(r[ix["FIRST NAME"]] + " " + r[ix["LAST NAME"]])
    return name or None


# ---------------------------------------------------------------- owner (§1)

def detect_owner(counted):
    """Name in the most distinct conversations of counted messages (sender or TO piece)."""
    convs = collections.defaultdict(set)
    first_form = {}
    for msg in counted:
        people = [msg["from"]] + split_to(msg["to"])
        people = [p for p in people if norm_name(p) and not is_anonymous_name(p)]
        if msg["conv"] is not None:
            conv = msg["conv"]
        else:  # 2018: a conversation is the sorted set of participants
            conv = tuple(sorted({norm_name(p) for p in people}))
        for p in people:
            k = norm_name(p)
            convs[k].add(conv)
            first_form.setdefault(k, display_name(p))
    if not convs:
        return None
    best = min(convs, key=lambda k: (-len(convs[k]), k))
    return first_form[best]


def owner_key(owner, counted):
    on = norm_name(owner)
    as_sender = collections.Counter()
    as_only_recipient = collections.Counter()
    for msg in counted:
        if norm_name(msg["from"]) == on:
            k = url_key(msg["from_url"])
            if k:
                as_sender[k] += 1
        if norm_name(msg["to"]) == on and msg["to_urls"] is not None:
            keys = [url_key(u) for u in msg["to_urls"].split(",")]
            keys = [k for k in keys if k]
            if len(keys) == 1:
                as_only_recipient[keys[0]] += 1
    for c in (as_sender, as_only_recipient):
        if c:
            return min(c, key=lambda k: (-c[k], k))
    return "name:" + on


# ---------------------------------------------------------------- export

def find_files(folder):
    found = {}
    for f in sorted(os.listdir(folder)):
        p = os.path.join(folder, f)
        if not os.path.isfile(p) or not f.lower().endswith(".csv"):
            continue
        for pre in PREFIXES:
            if f.lower().startswith(pre):
                if pre in found:
                    warn("%s: several %s files, using %s" % (folder, pre, found[pre]))
                else:
                    found[pre] = p
    return found


def analyse(folder, rel):
    files = find_files(folder)
    conn = msgs = inv = None
    all_dates = []
    if "connections" in files:
        _, conn, d = load_connections(files["connections"])
        all_dates += d
    if "messages" in files:
        msgs = load_messages(files["messages"])
        if msgs:
            all_dates += msgs["dates"]
    if "invitations" in files:
        inv = load_invitations(files["invitations"])
        if inv:
            all_dates += inv["dates"]
    as_of = max(all_dates) if all_dates else None
    # Cut-off C = D + 1 day 00:00Z; a row's instant is >= C iff its UTC date > D.
    cutoff = (as_of + dt.timedelta(days=1)) if as_of else dt.date.min

    acc = {"connections": None, "messages": None, "invitations": None}
    counted_conns = 0
    if conn is not None:
        acc["connections"], cc = account_connections(conn, cutoff)
        counted_conns = len(cc)
    counted_msgs = []
    if msgs is not None:
        acc["messages"], counted_msgs = account_messages(msgs, cutoff)
    if inv is not None:
        acc["invitations"] = account_invitations(inv, cutoff)

    owner = profile_name(files["profile"]) if "profile" in files else None
    owner_source = "profile" if owner else None
    if owner is None and counted_msgs:
        owner = detect_owner(counted_msgs)
        owner_source = "messages" if owner else None
    okey = owner_key(owner, counted_msgs) if owner else None

    return {
        "export": rel,
        "as_of": as_of.isoformat() if as_of else None,
        "owner_name": owner,
        "owner_key": okey,
        "owner_source": owner_source,
        "connections": counted_conns if conn is not None else None,
        "accounting": acc,
    }


def export_folders(root):
    out = []
    for dirpath, dirnames, _ in os.walk(root):
        dirnames.sort()
        found = find_files(dirpath)
        if "connections" in found or "messages" in found:
            out.append(dirpath)
    return sorted(out, key=lambda p: os.path.relpath(p, root).lower())


def fmt_acc(a, buckets):
    if a is None:
        return "-"
    return "%d=" % a["rows"] + "/".join(str(a[b]) for b in buckets)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_ROOT
    out_path = sys.argv[2] if len(sys.argv) > 2 else DEFAULT_OUT
    results = [analyse(f, os.path.relpath(f, root)) for f in export_folders(root)]

    print("connections: rows=blank/duplicate/bad_date/after_cutoff/counted")
    print("messages:    rows=malformed/duplicate/draft/sponsored/spam/anonymous/bad_date/after_cutoff/counted")
    print("invitations: rows=malformed/bad_date/after_cutoff/counted")
    print()
    for r in results:
        a = r["accounting"]
        print(r["export"])
        print("   as_of %s   owner %r (%s)   key %s   connections %s" % (
            r["as_of"], r["owner_name"], r["owner_source"], r["owner_key"], r["connections"]))
        print("   conn %s   msgs %s   inv %s" % (
            fmt_acc(a["connections"], CONN_BUCKETS), fmt_acc(a["messages"], MSG_BUCKETS),
            fmt_acc(a["invitations"], INV_BUCKETS)))
        for name, buckets in (("connections", CONN_BUCKETS), ("messages", MSG_BUCKETS),
                              ("invitations", INV_BUCKETS)):
            if a[name] is not None:
                assert sum(a[name][b] for b in buckets) == a[name]["rows"], (r["export"], name)
    for w in WARNINGS:
        print("WARNING:", w)

    with open(out_path, "w", encoding="utf-8") as f:
        json.dump([{k: v for k, v in r.items() if k != "owner_source"} for r in results],
                  f, ensure_ascii=False, indent=2)
        f.write("\n")
    print("\nwrote", out_path)


if __name__ == "__main__":
    main()
