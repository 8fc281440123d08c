//! Message and note text of realistic length and texture: commas, quotes, emoji, HTML
//! entities (before 2026) and paragraph breaks — double spaces before 2026, real newlines in
//! 2026 (FORMATS.md). Text is built into a reused buffer; nothing here allocates per message.

use super::people::{CITIES, COMPANIES};
use super::rng::Rng;

/// What a message is, which decides its length and tone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    /// A short or medium chat line between people who know each other.
    Chat,
    /// A long cold pitch: a recruiter, a salesperson, or the owner asking for something.
    Pitch,
    /// A nudge after a pitch went unanswered.
    FollowUp,
    /// A line in a group thread.
    Group,
    /// An unsent draft.
    Draft,
    /// An invitation note.
    Note,
    /// Spam.
    Spam,
    /// LinkedIn's own sponsored InMail (HTML with quoted attributes).
    Sponsored,
}

/// Names a message may mention.
pub(crate) struct Voice<'a> {
    /// The recipient's first name ("" in groups).
    pub to_first: &'a str,
    /// The sender's first name.
    pub me: &'a str,
}

const SHORT: &[&str] = &[
    "Thanks!",
    "Sure, Tuesday works.",
    "Sounds good, talk soon.",
    "Will do.",
    "Perfect, see you then 👍",
    "Ha, small world!",
    "Congrats on the new role!",
    "Thank you, much appreciated.",
    "Yes, that works for me.",
    "Great, thanks for the intro.",
    "No worries at all.",
    "Let me check and get back to you.",
    "Done, just sent it over.",
    "Good luck tomorrow!",
    "Absolutely, count me in.",
    "Got it, thanks {f}.",
    "Nice, congrats 🎉",
    "Sorry, running 10 minutes late.",
    "Haha, \"synergy\" strikes again.",
    "I'll be there.",
];

const CHAT: &[&str] = &[
    "How have you been? It's been ages since {e}.",
    "Are you free for a coffee next week? I'll be in {c} on Tuesday and Wednesday.",
    "I saw your post about {t}, really interesting take.",
    "Could you review my CV? I'm applying for a {r} role at {co}.",
    "We just shipped the new release, and I'd love your feedback when you have a minute.",
    "My manager said, and I quote, \"{q}\", so I think we're good.",
    "Quick question: do you still work with the {t} team at {co}?",
    "Thanks for the intro to your colleague, we had a great chat.",
    "Let's sync after the holidays, things are hectic right now.",
    "I'm putting together a panel on {t} for {e}, interested?",
    "Do you have the slides from {e}? Mine got lost somewhere between {c} and home.",
    "Happy to help, just send me the details & I'll take a look.",
    "Can we move our call to Thursday, same time?",
    "That's great news, well deserved!",
    "I read the report last night, the section on {t} is excellent.",
    "Let me know if {c} works for you, otherwise we can do a video call.",
];

const PITCH: &[&str] = &[
    "I came across your profile while looking for people with experience in {t}, and I was impressed.",
    "We're hiring a {r} in {c} (hybrid, 3 days on site), and your background looks like a great fit.",
    "The team is small, around 12 people, and growing fast after our Series B.",
    "Compensation is competitive, with equity and a generous learning budget.",
    "Would you be open to a 15-minute call this week or next?",
    "No pressure at all, and if the timing isn't right, I'd still love to stay in touch.",
    "Our clients include several \"Fortune 500\" companies, so the work is varied.",
    "I help teams like yours cut reporting time in half, and I'd love to show you how.",
    "I'm exploring new opportunities in {t} and noticed you lead the team at {co}.",
    "I'd be grateful for any advice, even a pointer to the right person.",
    "I've attached a short deck; happy to walk you through it.",
    "We're a {co} partner, and we've just opened a new office in {c}.",
];

const FOLLOW_UP: &[&str] = &[
    "Just following up on my note from last week, in case it got buried.",
    "Hi {f}, bumping this up in case you missed it.",
    "Any thoughts on the above? Happy to share more details.",
    "Circling back on this, is {t} still a priority for your team?",
];

const GROUP: &[&str] = &[
    "Dinner in {c} next month?",
    "I can book the table.",
    "Count me in!",
    "Works for me, see you all there.",
    "Sharing the agenda for {e} here, comments welcome.",
    "Who's bringing the projector?",
    "Great work, everyone 👏",
    "Can we push the call to 3pm? I'm stuck in {c} traffic.",
    "Adding the notes from today's session on {t}.",
    "Thanks all, this was fun.",
];

const DRAFT: &[&str] = &[
    "Hi {f}, I wanted to follow up on",
    "Thanks again for",
    "Hi {f}, quick question about {t}:",
    "Congrats on",
];

const NOTE: &[&str] = &[
    "Hi {f}, great to meet you at {e}, let's connect!",
    "Hi {f},  I'm a {r} working on {t}, and I'd love to connect.   Let me know, would love to chat!   - {me}",
    "Hi {f}, we spoke briefly after the {t} talk, would be great to stay in touch.",
    "Met you at the market, let's connect!",
    "{f}, loved your post on {t}. Connecting to follow your work.",
];

const SPAM: &[&str] = &[
    "Congratulations! You have been selected for an exclusive offer, click here: http://example.net/win",
    "Earn $5,000 a week from home!!! Reply \"YES\" to learn more.",
    "Dear friend, I have a business proposal of mutual benefit, kindly reply.",
    "Boost your profile views by 300%, limited time only, act now.",
];

const SPONSORED: &[&str] = &[
    "Your profile has been getting noticed. See who they are with a free 1-month trial of LinkedIn Premium.",
    "Are you hiring? Post a job and reach qualified candidates in {c} today.",
    "Join our free webinar on {t}, seats are limited.",
];

const TOPICS: &[&str] = &[
    "data engineering",
    "supply chain analytics",
    "climate finance",
    "developer tooling",
    "clinical trials",
    "payments",
    "machine learning",
    "public policy",
    "UX research",
    "cybersecurity",
];

const ROLES: &[&str] = &[
    "Senior Data Engineer",
    "Product Manager",
    "Business Analyst",
    "Backend Developer",
    "Head of Growth",
    "Research Associate",
];

const EVENTS: &[&str] = &[
    "the alumni dinner",
    "Web Summit",
    "the hackathon",
    "PyCon",
    "the offsite",
    "our MBA reunion",
];

const QUOTES: &[&str] = &[
    "ship it",
    "let's not boil the ocean",
    "done is better than perfect",
    "circle back after Q3",
];

/// Conversation titles of group threads (2021 on).
pub(crate) const GROUP_TITLES: &[&str] = &[
    "Alumni dinner",
    "Project Falcon",
    "Offsite planning, Q3",
    "Book club 📚",
    "Hackathon team",
    "\"Data & AI\" meetup organisers",
];

/// LinkedIn's default invitation text, which is not a personal note (METRICS.md §5).
pub(crate) const DEFAULT_NOTES: &[&str] = &[
    "I’d like to add you to my professional network",
    "I'd like to add you to my professional network on LinkedIn.",
];

/// Builds one message's text.
pub(crate) struct Writer {
    /// 2026: paragraph breaks are real newlines; before, double spaces and HTML entities.
    newlines: bool,
}

impl Writer {
    /// A writer for an era with or without newlines in `CONTENT`.
    pub fn new(newlines: bool) -> Writer {
        Writer { newlines }
    }

    /// Writes one text of `style` into `out` (which is cleared first).
    pub fn write(&self, rng: &mut Rng, style: Style, voice: &Voice<'_>, out: &mut String) {
        out.clear();
        // Some old exports carry HTML entities for apostrophes and ampersands.
        let entities = !self.newlines && rng.chance(0.04);
        let say = |rng: &mut Rng, list: &[&'static str], out: &mut String| {
            let template = rng.pick(list);
            expand(rng, template, voice, entities, out)
        };
        match style {
            Style::Chat => {
                if rng.chance(0.45) {
                    say(rng, SHORT, out);
                } else {
                    let n = 1 + rng.below(3);
                    for i in 0..n {
                        if i > 0 {
                            out.push(' ');
                        }
                        say(rng, CHAT, out);
                    }
                }
            }
            Style::Group => say(rng, GROUP, out),
            Style::FollowUp => say(rng, FOLLOW_UP, out),
            Style::Draft => say(rng, DRAFT, out),
            Style::Note => say(rng, NOTE, out),
            Style::Spam => say(rng, SPAM, out),
            Style::Pitch => {
                if voice.to_first.is_empty() {
                    out.push_str("Hello,");
                } else {
                    out.push_str(rng.pick(&["Hi ", "Hello ", "Dear ", "Hey "]));
                    out.push_str(voice.to_first);
                    out.push(',');
                }
                let paragraphs = 2 + rng.below(4);
                for _ in 0..paragraphs {
                    self.paragraph_break(rng, out);
                    say(rng, PITCH, out);
                    if rng.chance(0.5) {
                        out.push(' ');
                        say(rng, PITCH, out);
                    }
                }
                self.paragraph_break(rng, out);
                out.push_str(rng.pick(&["Best, ", "Cheers, ", "Thanks, ", "Kind regards, "]));
                out.push_str(voice.me);
            }
            Style::Sponsored => {
                const P: &str = "<p class=\"spinmail-quill-editor__spin-break\">";
                out.push_str(P);
                out.push_str("Hi %FIRSTNAME%,</p>");
                out.push_str(P);
                out.push_str("<br></p>");
                out.push_str(P);
                say(rng, SPONSORED, out);
                out.push_str("</p>");
            }
        }
    }

    fn paragraph_break(&self, rng: &mut Rng, out: &mut String) {
        out.push_str(match (self.newlines, rng.chance(0.7)) {
            (true, true) => "\n\n",
            (true, false) => "\n",
            (false, _) => "  ",
        });
    }
}

/// Expands `{f}` (recipient's first name), `{me}`, `{t}` topic, `{r}` role, `{c}` city,
/// `{co}` company, `{e}` event and `{q}` quote.
fn expand(rng: &mut Rng, template: &str, voice: &Voice<'_>, entities: bool, out: &mut String) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        push_text(&rest[..open], entities, out);
        let close = open
            + rest[open..]
                .find('}')
                .expect("templates close their braces");
        let fill = match &rest[open + 1..close] {
            "f" if voice.to_first.is_empty() => "there",
            "f" => voice.to_first,
            "me" => voice.me,
            "t" => rng.pick(TOPICS),
            "r" => rng.pick(ROLES),
            "c" => rng.pick(CITIES),
            "co" => rng.pick(COMPANIES).trim_end(),
            "e" => rng.pick(EVENTS),
            _ => rng.pick(QUOTES),
        };
        push_text(fill, entities, out);
        rest = &rest[close + 1..];
    }
    push_text(rest, entities, out);
}

fn push_text(text: &str, entities: bool, out: &mut String) {
    if !entities {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '\'' => out.push_str("&rsquo;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_have_the_texture_of_their_era() {
        let voice = Voice {
            to_first: "Ana",
            me: "Wren",
        };
        let (old, new) = (Writer::new(false), Writer::new(true));
        let mut rng = Rng::new(5, 5);
        let mut s = String::new();
        let (mut newline, mut comma, mut quote) = (false, false, false);
        for _ in 0..500 {
            old.write(&mut rng, Style::Pitch, &voice, &mut s);
            assert!(!s.contains('\n'), "{s}");
            assert!(s.starts_with('H') || s.starts_with('D'), "{s}");
            new.write(&mut rng, Style::Pitch, &voice, &mut s);
            newline |= s.contains('\n');
            comma |= s.contains(',');
            new.write(&mut rng, Style::Chat, &voice, &mut s);
            quote |= s.contains('"');
            assert!(!s.contains('{'), "{s}");
        }
        assert!(newline && comma && quote);
    }
}
