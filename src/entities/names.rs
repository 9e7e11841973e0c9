//! People named without a title: "Sarah Medary, City Manager", "Cc: David Carabin
//! <...>", "Dear J. Ader:", a council's members one per line, "FREDDY MARTINEZ,
//! Plaintiff". A run of capitalised words on one line is a name when it has a name's
//! shape (given name, initials, surname, suffix) and either its given name is common in
//! the United States (`first_names.txt`, from Social Security records) or a cue says
//! a person is named there: an e-mail header, a display name before an address, a
//! salutation, an honorific, a signature. Words that name places, bodies, documents and
//! roles (`STOP_WORDS`) are never part of a name.

use std::collections::HashMap;

use std::sync::LazyLock;

use super::{collapse_spaces, with_lower, word_set, Entity, Kind, Page, Recurring, WordSet};

/// What the word lists say of a word: bits of [`Known`].
type Lexicon = rustc_hash::FxHashMap<&'static str, u8>;

/// Every listed name (lower case) with what it is: given names (`first_names.txt`),
/// surnames (`surnames.txt`), given names that are ordinary words. One table, so that
/// a word is looked up once for all three.
static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut lexicon = Lexicon::default();
    for (words, bit) in [
        (include_str!("first_names.txt"), Known::FIRST),
        (include_str!("surnames.txt"), Known::SURNAME),
        (WORD_LIKE_FIRST_NAMES, Known::WORD_LIKE),
    ] {
        for word in word_set(words) {
            *lexicon.entry(word).or_default() |= bit;
        }
    }
    lexicon
});

/// What [`LEXICON`] says of one word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Known(u8);

impl Known {
    const FIRST: u8 = 1;
    const SURNAME: u8 = 2;
    const WORD_LIKE: u8 = 4;

    /// Looks `word` up in any case.
    fn of(word: &str) -> Known {
        with_lower(word, |lower| {
            Known(LEXICON.get(lower).copied().unwrap_or(0))
        })
    }

    /// A given name.
    fn first(self) -> bool {
        self.0 & Known::FIRST != 0
    }

    fn surname(self) -> bool {
        self.0 & Known::SURNAME != 0
    }

    /// A given name that is also an ordinary word ("Grant").
    fn word_like(self) -> bool {
        self.0 & Known::WORD_LIKE != 0
    }
}

/// Words that are never part of a person's name as this finder reads one: the words
/// of places, government bodies, companies, documents, dates and job titles that are
/// written capitalised in headings, letterheads and addresses.
const STOP_WORDS: &str = "\
    la de schools lighting electric supply hardware motors foods products \
    you we they he she it me them i however therefore also thus hence moreover \
    le les des du un une et pour avec sur dans beach store ln ct pl pkwy cir ter italy \
    france spain germany canada japan england ireland brazil russia europe africa \
    see per one little citizen resident requester customer vendor user member amt qty \
    due subtotal balance description item extended app civ crim evid stat supp rev ann \
    fed \
    san santa los las el fort saint mount port lane mill circle terrace parkway pike \
    trail crossing place ridge creek valley heights line lines labs lab resort station \
    department dept police sheriff sheriff's office county city state states state's \
    united court courts district circuit appeals appellate board commission council \
    committee agency bureau division unit section service services center centre \
    institute university college school academy library hospital church bank company \
    corporation corp inc llc llp ltd co group associates partners solutions systems \
    technologies technology software safety security government administration authority \
    commissioners congress senate house assembly navy army force guard team staff clinic \
    foundation association society union network media news press times post journal \
    tribune herald daily radio law legal firm street st avenue ave road rd boulevard \
    blvd drive way plaza suite floor building park square highway hwy route box north \
    south east west northern southern eastern western central northeast northwest \
    southeast southwest county's america american usa us u.s alabama alaska arizona \
    arkansas california colorado connecticut delaware florida georgia hawaii idaho \
    illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts \
    michigan minnesota mississippi missouri montana nebraska nevada hampshire jersey \
    mexico york carolina dakota ohio oklahoma oregon pennsylvania rhode tennessee texas \
    utah vermont virginia wisconsin wyoming act code rule rules statute \
    article chapter title order orders agreement contract amendment exhibit attachment \
    appendix schedule form report request requests response letter memo memorandum \
    policy policies program project plan grant award fund funds account invoice quote \
    total date page number subject re dear sincerely regards from to cc bcc sent attn \
    attention information freedom privacy records record data public affairs finance \
    financial operations investigations intelligence enforcement justice homeland \
    defense health human resources labor commerce treasury energy education \
    transportation housing development management budget customs immigration border \
    protection patrol marshals prisons corrections correctional criminal civil rights \
    crime crimes property theft retail organized compensation workers claims tax revenue \
    internal federal national international regional municipal metropolitan general \
    special the of and for in on at by with a an or not no yes all any this that these \
    those our your my his her their its new notice foia ilcs usc ors exemption \
    exemptions denial appeal complaint plaintiff defendant petitioner respondent \
    appellant appellee case docket filed entered document documents opinion judgment \
    motion brief license plate reader readers camera cameras vehicle system email e-mail \
    phone fax telephone website web online internet mr mrs ms dr hon honorable judge \
    chief officer officers director manager clerk counsel attorney attorneys president \
    secretary commissioner superintendent captain capt lieutenant lt sergeant sgt \
    detective det agent agents deputy assistant senior analyst specialist coordinator \
    supervisor administrator executive mayor governor senator representative sir madam \
    esq phd md jd monday tuesday wednesday thursday friday saturday sunday january \
    february march april july september october november december jan feb mar apr jun \
    jul aug sep sept oct nov dec";

/// Given names that are also common words, places or months: a name that begins with
/// one must end with a known surname ("Mark Smith", "Grant Thornton" but not
/// "Grant Award", "Will Call").
const WORD_LIKE_FIRST_NAMES: &str = "\
    trace oral female male junior \
    heaven rock \
    will may june april august grant mark bill chase major justice christian dean page \
    court sterling joy hope faith rich price young long royal king bishop guy ray rob \
    art sunny summer winter autumn dawn star rose iris violet ruby pearl crystal amber \
    ivy holly olive hazel clay cliff dale glen wood forest lane brook brooks river stone \
    miles max gene don norman french english ford lincoln jackson madison jefferson \
    franklin hamilton austin dallas houston phoenix denver orlando salem troy paris \
    sydney cleveland jordan israel china india asia kenya camden elgin cook marion logan \
    tyler carter hunter parker mason cooper spencer taylor morgan harper porter warren \
    wayne lee golden silver early son sonny buck duke earl prince baron colonel general \
    chance constance patience charity honor verity trinity nation bliss destiny harmony \
    unique precious royalty legend story memory sage ocean sky rain storm cloud lake \
    marsh heath field fields hill hills bay bank banks west north south east love happy \
    lucky magic mercy nova echo blue green white black brown gray grey red rusty dusty \
    sandy penny cash money sterling judge deputy council trooper captain sergeant doctor \
    lady princess queen angel christmas easter noel chancellor president chief ranger \
    young little best worth freeman friend";

/// Words that, right after a name, make it part of an institution's or a company's
/// name ("Lucy Parsons Labs", "John Marshall Law School", "Gibson Dunn LLP").
const INSTITUTION_WORDS: &str = "\
    labs lab law school university college institute foundation center centre \
    hospital library church bank group associates partners inc inc. llc llp ltd \
    corp corp. corporation company co co. resort station street avenue road drive \
    boulevard building hall park memorial academy society trust fund museum office";

/// Words after which a capitalised word begins a place's name, not a person's ("Los
/// Angeles Field Office", "Fort Wayne", "San Jose").
const PLACE_PREFIXES: &[&str] = &[
    "los", "las", "san", "santa", "el", "fort", "ft", "saint", "st", "mount", "mt", "port", "new",
    "lake", "palm", "glen",
];

static INSTITUTION: LazyLock<WordSet> = LazyLock::new(|| word_set(INSTITUTION_WORDS));

/// Titles after which one capitalised word and a comma address a person ("District
/// Attorney Parosa,", "Director Carabin,").
const VOCATIVE_TITLES: &[&str] = &[
    "Attorney",
    "Director",
    "Chief",
    "Detective",
    "Officer",
    "Sergeant",
    "Lieutenant",
    "Captain",
    "Commander",
    "Mayor",
    "Judge",
    "Sheriff",
    "Agent",
    "Commissioner",
    "Superintendent",
    "Councilor",
    "Senator",
    "Representative",
    "Professor",
];

/// Honorifics and salutations after which one capitalised word is a surname ("Dear
/// Mr. Martinez", "Ms. Doe").
const HONORIFICS: &[&str] = &["Mr.", "Mrs.", "Ms.", "Dr.", "Mr", "Mrs", "Ms", "Miss"];

/// Words that open a line naming people: e-mail headers and form fields.
const HEADER_CUES: &[&str] = &[
    "From:",
    "To:",
    "Cc:",
    "CC:",
    "Bcc:",
    "BCC:",
    "Attn:",
    "ATTN:",
    "Attention:",
    "Dear",
    "/s/",
    "Requester:",
    "Name:",
    "Signer:",
    "Buyer:",
    "Sent by:",
];

/// Lower-case particles inside surnames ("Ludwig van Beethoven", "Maria de la Cruz").
const PARTICLES: &[&str] = &[
    "de", "del", "della", "der", "den", "van", "von", "la", "le", "da", "di", "du",
];

/// Generational suffixes after a surname.
const SUFFIXES: &[&str] = &["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV", "JR.", "SR."];

/// What a word on a line looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// "Medary", "McCarthy", "O'Brien", "Pavlik-Keenan", "Peña".
    Word,
    /// "MARTINEZ": two or more capitals.
    Capitals,
    /// "J." or "J".
    Initial,
    /// "Jr.", "III".
    Suffix,
    /// "de", "van".
    Particle,
    /// Anything else ends a run of name words.
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    /// The word without trailing punctuation ("Ader" of "Ader:").
    text: &'a str,
    start: usize,
    end: usize,
    shape: Shape,
    /// The punctuation that followed the word (",", ":", ";" ...), which ends a run.
    closes: bool,
    /// A word no name holds ([`STOP_WORDS`]), looked up once: the small list of
    /// them is read for every capitalised word, the large lists of names only for
    /// the words of a name.
    stop: bool,
}

fn shape(word: &str) -> Shape {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return Shape::Other;
    };
    // Most words are lower case: only particles among them count.
    if !first.is_uppercase() {
        return if PARTICLES.contains(&word) {
            Shape::Particle
        } else {
            Shape::Other
        };
    }
    if word.len() <= 4 && SUFFIXES.contains(&word) {
        return Shape::Suffix;
    }
    let rest = chars.as_str();
    if rest.is_empty() || rest == "." {
        return Shape::Initial;
    }
    let letters_only = rest
        .chars()
        .all(|c| c.is_alphabetic() || c == '\'' || c == '’' || c == '-');
    if !letters_only || rest.ends_with(['-', '\'', '’']) {
        return Shape::Other;
    }
    if rest.chars().all(|c| !c.is_lowercase()) {
        Shape::Capitals
    } else if rest.chars().next().is_some_and(char::is_lowercase) || rest.starts_with(['\'', '’'])
    {
        // "McCarthy", "MacFadyen" and "O'Brien" have capitals inside; "DeShawn" too.
        Shape::Word
    } else {
        Shape::Other
    }
}

/// The words of one line, from `offset` in the page.
fn tokens<'a>(line: &'a str, offset: usize, out: &mut Vec<Token<'a>>) {
    out.clear();
    // Words are split at spaces, tabs and no-break spaces (some producers set every
    // space as U+00A0), read as bytes: the line's other characters never hold them.
    let bytes = line.as_bytes();
    let separator_at = |at: usize| match &bytes[at..] {
        [b' ' | b'\t', ..] => 1,
        [0xC2, 0xA0, ..] => 2,
        _ => 0,
    };
    let mut position = 0;
    loop {
        while position < bytes.len() && separator_at(position) > 0 {
            position += separator_at(position);
        }
        if position == bytes.len() {
            break;
        }
        let start = position;
        while position < bytes.len() && separator_at(position) == 0 {
            position += 1;
        }
        let word = &line[start..position];
        // Trailing punctuation ends a run but not the word; an initial keeps its dot.
        let trimmed = word.trim_end_matches([',', ':', ';', ')', '.', '"', '”']);
        let keeps_dot = word[trimmed.len()..].starts_with('.')
            && (trimmed.chars().count() == 1 || SUFFIXES.contains(&&word[..=trimmed.len()]));
        let text = if keeps_dot {
            &word[..=trimmed.len()]
        } else {
            trimmed
        };
        let closes = word.len() > text.len();
        let shape = shape(text);
        let stop = matches!(shape, Shape::Word | Shape::Capitals) && is_stop(text);
        out.push(Token {
            text,
            start: offset + start,
            end: offset + start + text.len(),
            shape,
            closes,
            stop,
        });
    }
}

static STOP: LazyLock<WordSet> = LazyLock::new(|| word_set(STOP_WORDS));

fn in_set(set: &WordSet, word: &str) -> bool {
    with_lower(word, |lower| set.contains(lower))
}

fn is_stop(word: &str) -> bool {
    with_lower(word.trim_end_matches('.'), |lower| {
        // "City's" is as much a stop word as "City".
        let lower = lower.strip_suffix("'s").unwrap_or(lower);
        STOP.contains(lower)
    })
}

/// Whether a name holds a word that no name holds ("Information Officer", "Eugene
/// Police Department").
pub(super) fn has_stop_word(name: &str) -> bool {
    name.split_whitespace().any(is_stop)
}

/// Whether a word is a given name that is no ordinary word ("Dennis", not "Grant").
pub(super) fn is_given_name(word: &str) -> bool {
    let known = Known::of(word);
    known.first() && !known.word_like()
}

/// What a name needs around it to count, given its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Its words are enough ("Sarah Medary").
    Nothing,
    /// A cue of any kind ("J. Ader" alone on its line or after "Dear").
    AnyCue,
    /// A header, honorific or address ("Cc: Kashan Pathan <...>").
    Named,
}

/// A name read from `tokens[at..]`: its last token's index, if the words have a
/// name's shape, and what it needs around it to count.
fn name_at(tokens: &[Token], at: usize) -> Option<(usize, Need)> {
    let first = tokens[at];
    let capitals = first.shape == Shape::Capitals;
    // A name is written all in capitals or not at all ("IRA You" is no name).
    let word_shape = |token: &Token| {
        if capitals {
            token.shape == Shape::Capitals
        } else {
            token.shape == Shape::Word
        }
    };
    let initial = first.shape == Shape::Initial;
    if !(word_shape(&first) || initial) || first.stop {
        return None;
    }
    // Collect the name's words: up to two middle words or initials, a surname (with
    // particles before it), a suffix.
    let mut last_word = None;
    let mut index = at;
    let mut initials = usize::from(first.shape == Shape::Initial);
    while index + 1 < tokens.len() && index - at < 5 {
        if tokens[index].closes {
            break;
        }
        let next = tokens[index + 1];
        match next.shape {
            Shape::Word | Shape::Capitals
                if next.stop && !(index > at && ends_name_month(next.text)) =>
            {
                break
            }
            Shape::Initial => initials += 1,
            Shape::Particle => {}
            Shape::Suffix => {
                if last_word.is_some() {
                    index += 1;
                }
                break;
            }
            _ if word_shape(&next) => {
                last_word = Some(index + 1);
            }
            _ => break,
        }
        index += 1;
    }
    let surname_index = last_word?;
    let end_index = if index > surname_index && tokens[index].shape == Shape::Suffix {
        index
    } else {
        surname_index
    };
    let surname = tokens[surname_index].text;
    if surname.chars().count() < 2 {
        return None;
    }
    // A name has at most three words before its suffix, four with an initial
    // ("Raymond Matthew Ripple", "Theodore J. Boutrous Jr."): longer runs of
    // capitalised words are headings and places.
    if surname_index - at > 2 + initials.min(1) {
        return None;
    }
    let known_surname = Known::of(surname).surname();
    let need = |enough: bool, with_cue: bool| {
        if enough {
            Some(Need::Nothing)
        } else {
            with_cue.then_some(Need::AnyCue)
        }
    };
    let need = if first.shape == Shape::Initial {
        // "J. Ader", "F. John Steffen", "C. Leonard O'Brien".
        let given_inside = (at + 1..surname_index).any(|i| Known::of(tokens[i].text).first());
        need(given_inside, known_surname)
    } else {
        let known = Known::of(first.text);
        let (given, word_like) = (known.first(), known.word_like());
        if capitals {
            // Headings are written in capitals: a middle initial or a known surname
            // besides a given name.
            need(
                given && !word_like && (initials > 0 || known_surname),
                given && !word_like,
            )
        } else if given && (initials > 0 || known_surname) {
            // A middle initial or a known surname makes even "Max A. Caproni" or
            // "Brooks R. Magratten" a name.
            need(!word_like || known_surname || initials > 0, false)
        } else if given {
            need(false, !word_like)
        } else if initials > 0 {
            Some(Need::AnyCue)
        } else {
            known_surname.then_some(Need::Named)
        }
    }?;
    Some((end_index, need))
}

/// "May" ends "Seth May"; other month names never end a name.
fn ends_name_month(word: &str) -> bool {
    matches!(word, "May" | "June" | "August" | "April")
}

/// Whether what follows `tokens[last]` on its line says the words before it name
/// someone: nothing, an e-mail address in angle brackets, a comma before a title.
fn alone_after(line: &str, offset: usize, tokens: &[Token], last: usize) -> bool {
    let rest = line[tokens[last].end - offset..].trim_start_matches(['.', ' ']);
    rest.is_empty() || rest.starts_with(['<', '[', '(', ';', ','])
}

/// Whether an e-mail address follows a name, in angle brackets or parentheses:
/// "Sarah Medary (smedary@eugene-or.gov)", "John Ohare < @cobwebs.com>".
fn address_follows(line: &str, offset: usize, tokens: &[Token], last: usize) -> bool {
    let rest = line[tokens[last].end - offset..].trim_start();
    rest.starts_with(['<', '(', '['])
        && rest
            .split([' ', '>', ')', ']'])
            .take(3)
            .any(|word| word.contains('@'))
}

/// Whether the word after a name makes the name an institution's.
fn institution_follows(tokens: &[Token], last: usize) -> bool {
    !tokens[last].closes
        && tokens
            .get(last + 1)
            .is_some_and(|next| in_set(&INSTITUTION, next.text))
}

/// Adds the people named on one page, skipping spans that other kinds already hold.
pub(super) fn find(page: &Page, found: &mut Vec<Entity>) {
    let text = page.text;
    let taken: Vec<(usize, usize)> = found
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                Kind::Agency | Kind::Vendor | Kind::Person | Kind::Email
            )
        })
        .map(|e| (e.start, e.end))
        .collect();
    let mut words = Vec::new();
    for line in page.name_lines.iter().filter(|line| line.adjacent) {
        let (start, end) = (line.start, line.end);
        tokens(&text[start..end], start, &mut words);
        find_in_line(text, &text[start..end], start, &words, &taken, found);
    }
}

/// Adds the people named on one line, whose words are `tokens`.
fn find_in_line(
    text: &str,
    line: &str,
    offset: usize,
    tokens: &[Token],
    taken: &[(usize, usize)],
    found: &mut Vec<Entity>,
) {
    let header = tokens.first().is_some_and(|first| {
        HEADER_CUES.iter().any(|cue| line.starts_with(cue)) && first.start == offset
    });
    let mut at = 0;
    while at < tokens.len() {
        let token = tokens[at];
        // Names begin with a capitalised word or an initial; most words are neither.
        if !matches!(token.shape, Shape::Word | Shape::Capitals | Shape::Initial) || token.stop {
            at += 1;
            continue;
        }
        let previous = at.checked_sub(1).map(|i| tokens[i]);
        let after_cue = previous.is_some_and(|p| {
            HONORIFICS.contains(&p.text) || (header && at == 1) || p.text == "/s/" || p.text == "by"
        }) || (header && previous.is_some_and(|p| p.closes && p.text != "Subject"));
        // A name that opens its line, maybe after a list number or bullet ("1 Jason
        // Koebler, ..."), or follows a comma or colon.
        let opens = at == 0
            || previous.is_some_and(|p| p.closes)
            || (at == 1 && previous.is_some_and(|p| !p.text.chars().any(char::is_alphabetic)));
        // A name's words may be enough; if not, it needs a header, honorific or
        // "by" before it, or an e-mail address after it; or (when its words allow)
        // to fill its line or open it before a comma.
        let mut end = name_at(tokens, at).and_then(|(last, need)| {
            let named = || after_cue || address_follows(line, offset, tokens, last);
            let alone = || opens && alone_after(line, offset, tokens, last);
            let holds = match need {
                Need::Nothing => true,
                Need::AnyCue => named() || alone(),
                Need::Named => named(),
            };
            holds.then_some(last)
        });
        // A surname alone after an honorific ("Dear Mr. Martinez,"), or after a title
        // that opens the line, before a comma ("District Attorney Parosa,").
        let vocative = token.closes
            && line[token.end - offset..].starts_with(',')
            && previous.is_some_and(|p| VOCATIVE_TITLES.contains(&p.text))
            && tokens[..at]
                .iter()
                .all(|t| t.shape == Shape::Word && !t.closes);
        if end.is_none()
            && (previous.is_some_and(|p| HONORIFICS.contains(&p.text)) || vocative)
            && matches!(token.shape, Shape::Word | Shape::Capitals)
            && token.text.chars().count() > 1
        {
            end = Some(at);
        }
        let place = previous.is_some_and(|p| {
            !p.closes
                && with_lower(p.text.trim_end_matches('.'), |lower| {
                    PLACE_PREFIXES.contains(&lower)
                })
        });
        let Some(last) = end.filter(|&last| !place && !institution_follows(tokens, last)) else {
            at += 1;
            continue;
        };
        let (start, stop) = (token.start, tokens[last].end);
        let clash = taken.iter().any(|&(s, e)| s < stop && start < e);
        if !clash {
            let name = &line[start - offset..stop - offset];
            found.push(Entity::new(
                Kind::Person,
                text,
                start,
                stop,
                normalize(name),
            ));
        }
        at = last + 1;
    }
}

/// A person's name as entities and queries share it: spaces collapsed, a name in
/// capitals in title case ("FREDDY MARTINEZ" -> "Freddy Martinez"), dots after initials
/// kept.
pub fn normalize(name: &str) -> String {
    let name = collapse_spaces(name);
    if name.chars().any(char::is_lowercase) {
        return name;
    }
    name.split(' ')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// The surnames of the people named in full on a document's pages, each under the
/// full name; a surname two different people share is left out, as a bare mention
/// could be either.
pub fn document_surnames(per_page: &[Vec<Entity>]) -> Option<Recurring> {
    let mut by_surname: HashMap<String, Option<String>> = HashMap::new();
    for entity in per_page.iter().flatten().filter(|e| e.kind == Kind::Person) {
        let words: Vec<&str> = entity
            .normalized
            .split(' ')
            .filter(|word| !SUFFIXES.contains(word))
            .collect();
        let Some(surname) = words.last().filter(|_| words.len() >= 2) else {
            continue;
        };
        let word_like = Known::of(surname).word_like() || ends_name_month(surname);
        if surname.chars().count() < 3 || is_stop(surname) || word_like {
            continue;
        }
        let full = &entity.normalized;
        by_surname
            .entry(surname.to_string())
            .and_modify(|known| {
                if known.as_ref().is_some_and(|name| !same_person(name, full)) {
                    *known = None;
                }
            })
            .or_insert_with(|| Some(full.clone()));
    }
    let pairs = by_surname
        .into_iter()
        .filter_map(|(surname, name)| Some((surname, name?)));
    Recurring::new(Kind::Person, pairs)
}

/// Whether two full names can be one person: "Todd M. Lyons" and "Todd Lyons".
fn same_person(a: &str, b: &str) -> bool {
    let given = |name: &str| name.split(' ').next().unwrap_or("").to_lowercase();
    given(a) == given(b) || given(a).starts_with(&given(b)) || given(b).starts_with(&given(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        find(&Page::new(text), &mut found);
        found.into_iter().map(|e| e.normalized).collect()
    }

    #[test]
    fn names_by_their_given_name() {
        assert_eq!(
            people("To: Sarah Medary, City Manager\nFrom: Tim Costin, Sr. Financial Analyst"),
            ["Sarah Medary", "Tim Costin"]
        );
        assert_eq!(
            people("City Council\nCory D. Dixon\nRichard Dunne\nF. John Steffen\nTheodore J. Boutrous Jr."),
            ["Cory D. Dixon", "Richard Dunne", "F. John Steffen", "Theodore J. Boutrous Jr."]
        );
        assert_eq!(
            people(
                "reviewed by EPD Finance Manager Julie Schafer, and Chief of Police Chris Skinner."
            ),
            ["Julie Schafer", "Chris Skinner"]
        );
        assert_eq!(
            people("PATRICIA S. DODSZUWEIT\nCLERK"),
            ["Patricia S. Dodszuweit"]
        );
        assert_eq!(people("FREDDY MARTINEZ, )"), ["Freddy Martinez"]);
        assert_eq!(
            people("C. Leonard O'Brien\nMax A. Caproni"),
            ["C. Leonard O'Brien", "Max A. Caproni"]
        );
        assert_eq!(people("Seth May\nPurchasing"), ["Seth May"]);
        assert_eq!(
            people("Landon\u{a0}Karr wrote"),
            ["Landon\u{a0}Karr"].map(|n| n.replace('\u{a0}', " "))
        );
    }

    #[test]
    fn names_by_their_cues() {
        assert_eq!(
            people("Cc: David Carabin < @pd.boston.gov>; Ed Cash < @frontier.com>"),
            ["David Carabin", "Ed Cash"]
        );
        assert_eq!(people("Dear J. Ader:"), ["J. Ader"]);
        assert_eq!(
            people("Sincerely,\nL. Webb\nFreedom of Information Officer"),
            ["L. Webb"]
        );
        assert_eq!(people("Dear Mr. Martinez,"), ["Martinez"]);
        assert_eq!(people("District Attorney Parosa,\nI write"), ["Parosa"]);
        assert_eq!(
            people("Document e-signed by Sarah Medary (smedary@eugene-or.gov)"),
            ["Sarah Medary"]
        );
        assert_eq!(
            people("1 Jason Koebler, Emails Reveal the Casual Surveillance Alliance"),
            ["Jason Koebler"]
        );
    }

    #[test]
    fn near_misses_are_not_people() {
        for text in [
            "Eugene Police Department",
            "Santa Cruz, CA 95063",
            "San Francisco, CA 94111",
            "245 Murray Lane, SW",
            "2 5507 Ranch Drive, Suite 202\nLittle Rock, AR 72223",
            "Attn: Accounts Payable",
            "See Billing Schedule",
            "Grant Award Agreement",
            "Lucy Parsons Labs",
            "Fed. R. App. P. 35(b)(3)",
            "Information Officer",
            "Privacy Officer\nChief Counsel",
            "UNITED STATES COURT OF APPEALS",
            "Lane County Circuit Court",
            "Per Diem Rockford",
            "the Los Angeles Field Office",
            "IRA You",
            "La Municipalité de Québec",
            "Long Beach, CA",
            "Berkeley Pyramid Alehouse Berkeley",
            "Site B. However",
            "Meadow Ln Woodbury",
        ] {
            assert!(people(text).is_empty(), "{text}: {:?}", people(text));
        }
    }

    #[test]
    fn bare_surnames_follow_the_full_name_within_a_document() {
        let pages = [
            "FREDDY MARTINEZ, Plaintiff, v. CHICAGO POLICE DEPARTMENT",
            "11. MARTINEZ followed up three times. Martinez’s request.",
        ];
        let mut per_page: Vec<Vec<Entity>> = pages
            .iter()
            .map(|text| {
                let mut found = Vec::new();
                find(&Page::new(text), &mut found);
                found
            })
            .collect();
        let surnames = document_surnames(&per_page).expect("a surname");
        surnames.find(pages[1], &mut per_page[1]);
        let names: Vec<(&str, &str)> = per_page[1]
            .iter()
            .map(|e| (e.text.as_str(), e.normalized.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("MARTINEZ", "Freddy Martinez"),
                ("Martinez", "Freddy Martinez")
            ]
        );
    }

    #[test]
    fn a_surname_two_people_share_is_not_followed() {
        let mut found = Vec::new();
        find(
            &Page::new("Freddy Martinez\nRosamaria D. Martinez"),
            &mut found,
        );
        assert_eq!(found.len(), 2);
        assert!(document_surnames(&[found]).is_none());
    }
}
