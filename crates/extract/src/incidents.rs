//! The `incidents` stage: the violent incidents a document reports or refers to, one
//! per real incident, with kind, date, place, figures, perpetrators and mentions.
//!
//! Triggers are words for violent acts ("bombing", "gunmen", "airstrike", "shot down")
//! and, as further mentions of an incident already found, casualty words ("killed",
//! "wounded"). Mentions are grouped into incidents in text order: a mention joins the
//! incident it most plausibly refers back to (the main incident of the story by
//! default) unless its own date or place contradicts it, as a background paragraph's
//! "the 2015 attack on a Paris concert hall" does, which starts an incident of its own.
//! Date, place and figures come from the mention's sentence; a figure is attached only
//! when that sentence speaks of this incident alone. Perpetrators come from the claims
//! (see [`link_claims`]): responsibility → claimed, accusation → accused, denial →
//! denied; a suspicion ("investigators suspected X") → suspected. (A court's verdict
//! does not yet make a perpetrator `confirmed`.)

use std::collections::HashMap;

use claimgraph_model::{
    ActorRef, Category, Claim, ClaimKind, Date, Entity, EntityKind, Figure, Geo, Incident, IncidentKind, Perpetrator,
    PerpetratorStatus, Place, Span, TimeValue,
};

use crate::resources::{with_lower, Feature, Resources};
use crate::sentences::SentenceTokens;
use crate::tokens::TokenKind;
use crate::Layers;

/// What a trigger word says about the incident.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Trigger {
    /// A word for the act, with the kind it suggests and how strongly.
    Act(IncidentKind, f32),
    /// A casualty word: a mention of an incident found elsewhere.
    Casualty,
}

/// Act-word weight below which an incident needs a casualty word to stand.
const WEAK_EVIDENCE: f32 = 0.8;

fn trigger_of(lower: &str) -> Option<Trigger> {
    use IncidentKind::*;
    use Trigger::*;
    Some(match lower {
        "bombing" | "bombings" | "bomb" | "bombs" | "bomber" | "bombers" | "bombed" | "blast" | "blasts"
        | "explosion" | "explosions" | "exploded" | "detonated" | "detonation" | "ied" | "ieds" | "car-bomb" => {
            Act(Bombing, 1.0)
        }
        "attack" | "attacks" | "attacked" | "attacker" | "attackers" | "assault" | "atrocity" | "onslaught" => {
            Act(ArmedAssault, 0.4)
        }
        "shooting" | "shootings" | "gunman" | "gunmen" | "gunfire" | "shootout" | "rampage" => Act(ArmedAssault, 1.0),
        "massacre" | "massacred" | "massacres" => Act(Massacre, 0.6),
        // "the 1967 killings of two women": the plural noun names the act ("killing 12"
        // is a casualty participle, below).
        "murder" | "murders" | "murdered" | "murdering" | "slaying" | "slayings" | "killings" => Act(ArmedAssault, 0.8),
        // "shot and killed", "shoots co-workers": a casualty word or a second mention
        // must back it (see WEAK_EVIDENCE).
        "shot" | "shoots" => Act(ArmedAssault, 0.6),
        "hostage" | "hostages" | "siege" | "sieges" | "besieged" | "hostage-taking" | "kidnapped" | "kidnapping"
        | "abducted" | "abduction" => Act(HostageTaking, 1.0),
        "hijack" | "hijacked" | "hijacking" | "hijackers" | "hijacker" => Act(Hijacking, 1.2),
        "assassination" | "assassinated" | "assassinate" | "assassin" => Act(Assassination, 1.2),
        "arson" | "arsonist" | "arsonists" | "torched" | "firebombed" | "firebomb" => Act(Arson, 1.0),
        "airstrike" | "airstrikes" | "air-strike" | "air-strikes" | "warplanes" | "bombardment" => Act(Airstrike, 1.0),
        "missile" | "missiles" | "rocket" | "rockets" => Act(MissileStrike, 0.8),
        // "the downing of Flight MH17".
        "downing" => Act(MissileStrike, 0.8),
        "drone" | "drones" => Act(DroneStrike, 0.6),
        "shelling" | "shelled" | "artillery" | "mortar" | "mortars" => Act(Shelling, 1.0),
        "strike" | "strikes" => Act(MissileStrike, 0.5),
        "sabotage" | "sabotaged" | "stabbing" | "stabbed" | "ambush" | "ambushed" => Act(Other, 0.5),
        "killed" | "killing" | "dead" | "died" | "death" | "deaths" | "wounded" | "injured" | "wounding"
        | "injuring" | "casualties" | "slain" | "victims" => Casualty,
        _ => return None,
    })
}

/// One trigger found in the text.
#[derive(Debug, Clone)]
struct MentionAt {
    span: Span,
    sentence: usize,
    trigger: Trigger,
    /// A definite reference back ("the attack", "the blasts").
    definite: bool,
    /// An indefinite one that introduces an incident ("an airstrike", "another attack").
    indefinite: bool,
}

/// How many incidents a mention is compared with, at most twice this: the first ones
/// (the story's main incidents) and the most recently mentioned ones. Articles name a
/// handful of incidents (the demo corpus at most 5), so on them every incident is a
/// candidate; a document with thousands costs a bounded number of comparisons per
/// mention instead of one per incident.
const CANDIDATE_INCIDENTS: usize = 32;

/// An incident being built.
#[derive(Debug, Clone)]
struct Building {
    mentions: Vec<MentionAt>,
    votes: HashMap<IncidentKind, f32>,
    date: Option<TimeValue>,
    place: Option<usize>,
    label_word: Option<String>,
    sentences: Vec<usize>,
}

/// The layers the incidents stage reads.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub layers: Layers<'a>,
    pub published: Option<Date>,
    pub resources: &'a Resources,
}

/// Finds the incidents of a document. Perpetrators are added by [`link_claims`].
pub fn extract(cx: Context) -> Vec<Incident> {
    let mentions = find_mentions(&cx);
    let mut incidents: Vec<Building> = Vec::new();
    // Place mentions (entity index, span), for the place of each sentence.
    // Sorted by start for look-ups by sentence.
    let mut places: Vec<PlaceAt> = cx
        .layers
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == EntityKind::Place)
        .flat_map(|(i, e)| e.mentions.iter().map(move |&m| (i, m)))
        .enumerate()
        .map(|(k, (i, m))| PlaceAt::new(cx.layers.text, i, m, k))
        .collect();
    places.sort_by_key(|p| p.span.start);
    // Casualty words before the first act word: mentions of the first incident.
    let mut orphans: Vec<MentionAt> = Vec::new();
    // Incidents by their latest mention, the most recent last (at most
    // CANDIDATE_INCIDENTS of them).
    let mut recent: Vec<usize> = Vec::new();
    let mut pool: Vec<usize> = Vec::new();
    for (n, m) in mentions.into_iter().enumerate() {
        if n % 64 == 0 && cx.layers.deadline.passed() {
            break; // the caller reports the document as too slow
        }
        let sentence = cx.layers.sentences[m.sentence].span;
        // A definite reference back ("the blasts", once an incident is known) takes only
        // what modifies it directly ("the 2015 attack", "the Kerman bombing", "the attack
        // in Paris"): the rest of its sentence is usually about something else, and
        // "claimed the attack on Thursday" dates the claim, not the attack. A date that
        // opens the sentence ("In October 2022, …") frames the other mentions.
        let anaphoric = m.definite && !incidents.is_empty();
        let scope = if anaphoric { near_window(&cx, m.sentence, m.span) } else { sentence };
        let date = if anaphoric {
            date_before(&cx, m.span)
        } else {
            date_near(&cx, scope, m.span).or_else(|| frame_date(&cx, m.sentence))
        };
        let place = place_near(&cx, &places, scope, m.span);
        // Casualty words ("killed") count as mentions but say nothing of date or place.
        let (date, place) = if m.trigger == Trigger::Casualty { (None, None) } else { (date, place) };
        pool.clear();
        if incidents.len() <= 2 * CANDIDATE_INCIDENTS {
            pool.extend(0..incidents.len());
        } else {
            pool.extend(0..CANDIDATE_INCIDENTS);
            pool.extend(recent.iter().copied().filter(|&i| i >= CANDIDATE_INCIDENTS));
            pool.sort_unstable();
        }
        let chosen = choose(&cx, &incidents, &pool, &m, date.as_ref(), place);
        let idx = match chosen {
            Some(i) => i,
            None => {
                if m.trigger == Trigger::Casualty {
                    // A casualty word that fits no incident is not a new one.
                    if incidents.is_empty() {
                        orphans.push(m);
                    }
                    continue;
                }
                incidents.push(Building {
                    mentions: Vec::new(),
                    votes: HashMap::new(),
                    date: None,
                    place: None,
                    label_word: None,
                    sentences: Vec::new(),
                });
                incidents.len() - 1
            }
        };
        recent.retain(|&i| i != idx);
        if recent.len() == CANDIDATE_INCIDENTS {
            recent.remove(0);
        }
        recent.push(idx);
        let b = &mut incidents[idx];
        if b.date.is_none() {
            b.date = date;
        }
        if let Some(p) = place {
            b.place = Some(match b.place {
                Some(old) if more_specific(&cx, &cx.layers.entities[old], &cx.layers.entities[p]) => old,
                _ => p,
            });
        }
        if let Trigger::Act(kind, w) = m.trigger {
            *b.votes.entry(kind).or_default() += w;
            if b.label_word.is_none() && kind != IncidentKind::Other {
                b.label_word = Some(m.span.of(cx.layers.text).to_lowercase());
            }
        }
        // Mentions come in text order, so a sentence already listed is the last one.
        if b.sentences.last() != Some(&m.sentence) {
            b.sentences.push(m.sentence);
        }
        b.mentions.push(m);
    }
    // An incident must have at least one act word: casualties alone ("two soldiers died")
    // do not make an incident when nothing says what happened.
    // Nor does one weak word ("an attack", "strikes") with nothing else: it takes a
    // stronger word, several mentions, or a casualty word in the incident's sentences.
    incidents.retain(|b| {
        let weight: f32 = b.votes.values().sum();
        weight >= WEAK_EVIDENCE || b.mentions.iter().any(|m| m.trigger == Trigger::Casualty)
    });
    if let Some(first) = incidents.first_mut() {
        let mut listed: std::collections::HashSet<usize> = first.sentences.iter().copied().collect();
        for m in orphans {
            if listed.insert(m.sentence) {
                first.sentences.push(m.sentence);
            }
            first.mentions.push(m);
        }
    }
    let sentence_owners = owners_by_sentence(&incidents);
    incidents.iter().enumerate().map(|(n, b)| finish(&cx, n, b, &sentence_owners)).collect()
}

/// Words that make a bare "strike" a military one.
fn military_modifier(word: Option<&str>) -> bool {
    const MODIFIERS: &[&str] = &[
        "air",
        "drone",
        "missile",
        "rocket",
        "military",
        "retaliatory",
        "targeted",
        "precision",
        "deadly",
        "naval",
        "artillery",
        "nuclear",
        "preemptive",
        "pre-emptive",
        "surgical",
        "aerial",
        "coalition",
    ];
    word.is_some_and(|w| MODIFIERS.contains(&w) || w.ends_with("ian") || w.ends_with("ish") || w.ends_with("eli"))
}

/// Whether a sentence is about computers ("hackers attacked the servers", "a flaw
/// that let attackers hijack browsers"): its attacks are not violent incidents.
fn about_computers(cx: &Context, tokens: std::ops::Range<usize>) -> bool {
    const WORDS: &[&str] = &[
        "cyber",
        "cyberattack",
        "hacker",
        "hackers",
        "hacking",
        "hacked",
        "computer",
        "computers",
        "software",
        "malware",
        "virus",
        "browser",
        "internet",
        "vulnerability",
        "vulnerabilities",
        "exploit",
        "patch",
        "servers",
        "website",
        "websites",
        "online",
        "ransomware",
        "phishing",
        "password",
        "passwords",
    ];
    tokens.into_iter().any(|i| {
        let w = cx.layers.tokens[i].text(cx.layers.text);
        w.len() >= 5 && with_lower(w, |l| WORDS.contains(&l))
    })
}

fn find_mentions(cx: &Context) -> Vec<MentionAt> {
    let mut out = Vec::new();
    for (s_idx, s) in cx.layers.sentences.iter().enumerate() {
        for i in s.tokens.clone() {
            let t = cx.layers.tokens[i];
            if t.kind != TokenKind::Word {
                continue;
            }
            let w = t.text(cx.layers.text);
            if w.len() < 3 || w.len() > 14 {
                continue;
            }
            let Some(trigger) = with_lower(w, trigger_of) else { continue };
            let prev = |k: usize| {
                (i >= s.tokens.start + k).then(|| cx.layers.tokens[i - k].text(cx.layers.text).to_lowercase())
            };
            let next =
                |k: usize| (i + k < s.tokens.end).then(|| cx.layers.tokens[i + k].text(cx.layers.text).to_lowercase());
            let lower = w.to_lowercase();
            let mut trigger = trigger;
            // Refinements from the neighbours.
            let suicide = prev(1).as_deref() == Some("suicide") || prev(2).as_deref() == Some("suicide");
            let skip = match trigger {
                Trigger::Act(IncidentKind::Bombing, w) if suicide => {
                    trigger = Trigger::Act(IncidentKind::SuicideBombing, 2.0 * w);
                    false
                }
                Trigger::Act(IncidentKind::DroneStrike, _) => {
                    !matches!(next(1).as_deref(), Some("strike" | "strikes" | "attack" | "attacks"))
                }
                // "hunger strike", "general strike", "strike a deal", "lucky strike".
                Trigger::Act(IncidentKind::MissileStrike, _) if lower.starts_with("strike") => {
                    matches!(
                        prev(1).as_deref(),
                        Some(
                            "hunger"
                                | "general"
                                | "workers"
                                | "rail"
                                | "lucky"
                                | "first"
                                | "to"
                                | "will"
                                | "would"
                                | "could"
                                | "can"
                                | "must"
                                | "may"
                                | "might"
                        )
                    ) || matches!(next(1).as_deref(), Some("a" | "deal" | "back" | "out"))
                        // A bare "strike" is a walkout more often than a raid: it needs a
                        // word that makes it military ("air", "Israeli", "strike on").
                        || !(military_modifier(prev(1).as_deref())
                            || matches!(next(1).as_deref(), Some("on" | "against" | "hit" | "killed")))
                }
                // "heart attack", "cyber attack" are not violent incidents.
                Trigger::Act(IncidentKind::ArmedAssault, _) if lower.starts_with("attack") => {
                    matches!(prev(1).as_deref(), Some("heart" | "cyber" | "panic" | "verbal" | "personal"))
                        || about_computers(cx, s.tokens.clone())
                }
                Trigger::Act(IncidentKind::Hijacking, _) => about_computers(cx, s.tokens.clone()),
                // "convicted ... of murder", "found guilty of murder": the verdict's
                // charge, not the act (which the sentence names otherwise).
                Trigger::Act(IncidentKind::ArmedAssault, _) if lower.starts_with("murder") => {
                    prev(1).as_deref() == Some("of")
                        && (2..=12).any(|k| matches!(prev(k).as_deref(), Some("convicted" | "guilty" | "acquitted")))
                }
                // "shot down" is a multi-word trigger of its own (below).
                Trigger::Act(IncidentKind::ArmedAssault, _) if lower == "shot" || lower == "shoots" => {
                    matches!(next(1).as_deref(), Some("down"))
                        || matches!(next(2).as_deref(), Some("down")) && next(1).as_deref() != Some("and")
                }
                Trigger::Casualty => {
                    matches!(lower.as_str(), "dead" | "death") && matches!(prev(1).as_deref(), Some("brain" | "dead"))
                }
                _ => false,
            };
            if skip {
                continue;
            }
            // "the missile exploded": the explosion is the strike's.
            if matches!(trigger, Trigger::Act(IncidentKind::Bombing, _))
                && (1..=4).any(|k| {
                    matches!(prev(k).as_deref(), Some("missile" | "warhead" | "rocket" | "shell" | "projectile"))
                })
            {
                trigger = Trigger::Act(IncidentKind::MissileStrike, 0.5);
            }
            // "shooting it down", "shooting down the plane".
            if lower == "shooting" && (next(1).as_deref() == Some("down") || next(2).as_deref() == Some("down")) {
                trigger = Trigger::Act(IncidentKind::MissileStrike, 1.2);
            }
            let definite = matches!(prev(1).as_deref(), Some("the" | "this" | "that" | "these" | "those"))
                || matches!(prev(2).as_deref(), Some("the" | "this" | "that"));
            // "an Israeli airstrike", "another attack", "a second bombing", or a sentence
            // that says it is about something else ("Separately, …").
            let opener = cx.layers.tokens[s.tokens.start].text(cx.layers.text).to_lowercase();
            let indefinite = matches!(prev(1).as_deref(), Some("a" | "an" | "another"))
                || matches!(prev(2).as_deref(), Some("a" | "an" | "another")) && !definite
                || matches!(opener.as_str(), "separately" | "elsewhere");
            out.push(MentionAt { span: t.span, sentence: s_idx, trigger, definite, indefinite });
        }
        // Multi-word triggers that no single word carries: "shot down", "opened fire".
        for i in s.tokens.clone() {
            let w = cx.layers.tokens[i].text(cx.layers.text);
            if !["shot", "shooting", "brought", "opened", "open", "air", "set", "deliberately", "intentionally"]
                .iter()
                .any(|f| f.eq_ignore_ascii_case(w))
            {
                continue;
            }
            let next = (i + 1 < s.tokens.end).then(|| cx.layers.tokens[i + 1].text(cx.layers.text));
            let pair = next.map(|n| format!("{} {}", w.to_lowercase(), n.to_lowercase()));
            let kind = match pair.as_deref() {
                Some("shot down" | "shooting down" | "brought down") => Some(IncidentKind::MissileStrike),
                Some("opened fire" | "open fire") => Some(IncidentKind::ArmedAssault),
                Some("air strike" | "air strikes" | "air raid" | "air raids") => Some(IncidentKind::Airstrike),
                Some("set fire" | "set ablaze" | "set alight" | "deliberately set" | "intentionally set") => {
                    Some(IncidentKind::Arson)
                }
                _ => None,
            };
            if let Some(kind) = kind {
                let span = cx.layers.tokens[i].span.cover(cx.layers.tokens[i + 1].span);
                out.push(MentionAt {
                    span,
                    sentence: s_idx,
                    trigger: Trigger::Act(kind, if kind == IncidentKind::Arson { 0.8 } else { 1.2 }),
                    definite: false,
                    indefinite: false,
                });
            }
        }
    }
    out.sort_by_key(|m| m.span.start);
    out.dedup_by(|b, a| a.span.overlaps(b.span));
    out
}

/// The date of the time expression nearest to a mention in its sentence, if it has a
/// value. Dates of speech ("said on Thursday") are as near as dates of deeds, so the
/// nearest one to the trigger wins.
fn date_near(cx: &Context, sentence: Span, at: Span) -> Option<TimeValue> {
    crate::inside(cx.layers.times, sentence, |t| t.span)
        .filter(|t| t.value.is_some() && !dates_speech(cx, t.span))
        .min_by_key(
            |t| if t.span.start >= at.end { t.span.start - at.end } else { at.start - t.span.end.min(at.start) },
        )
        .and_then(|t| t.value.clone())
        .filter(|v| !matches!(v, TimeValue::Interval(..)))
}

/// Whether a time dates an utterance rather than a deed: "said on Tuesday", "told
/// reporters late Wednesday", "reported on Friday".
fn dates_speech(cx: &Context, time: Span) -> bool {
    let before = cx.layers.text[..time.start].trim_end();
    let mut words = before.rsplit(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty());
    let is_cue = |w: &str| crate::claims::is_reporting_verb(&w.to_lowercase());
    let w1 = words.next().unwrap_or("");
    if is_cue(w1) {
        return true;
    }
    let w2 = words.next().unwrap_or("");
    matches!(w1.to_lowercase().as_str(), "on" | "late" | "early" | "reporters" | "journalists") && is_cue(w2)
}

/// A date right before a mention, inside its noun phrase ("the 2015 attack", "the
/// November 2015 attacks").
fn date_before(cx: &Context, at: Span) -> Option<TimeValue> {
    // Times are sorted and do not overlap: only those ending within 12 bytes before the
    // mention can match.
    let times = cx.layers.times;
    let from = times.partition_point(|t| t.span.end + 12 < at.start);
    let upto = times.partition_point(|t| t.span.start < at.start).max(from);
    times[from..upto]
        .iter()
        .rfind(|t| {
            t.span.end <= at.start
                && at.start - t.span.end <= 12
                && cx.layers.text[t.span.end..at.start].split_whitespace().count() <= 1
        })
        .filter(|t| {
            // A weekday's possessive names the day of the deed: "Wednesday's bombings".
            let between = cx.layers.text[t.span.end..at.start].trim();
            !matches!(t.value, Some(TimeValue::Day(_))) || matches!(between, "'s" | "’s")
        })
        .and_then(|t| t.value.clone())
        .filter(|v| !matches!(v, TimeValue::Interval(..)))
}

/// The date a sentence opens with ("In October 2022, …", "On Wednesday, …").
fn frame_date(cx: &Context, sentence: usize) -> Option<TimeValue> {
    let s = &cx.layers.sentences[sentence];
    let first = s.tokens.start;
    let start = cx.layers.tokens[first].span.start;
    let lead = cx.layers.tokens.get(first).map(|t| t.text(cx.layers.text).to_lowercase());
    let skip = if matches!(lead.as_deref(), Some("in" | "on" | "by" | "since" | "during")) { first + 1 } else { first };
    let at = cx.layers.tokens.get(skip)?.span.start;
    let _ = start;
    let times = cx.layers.times;
    times[times.partition_point(|t| t.span.start < at)..]
        .iter()
        .take_while(|t| t.span.start == at)
        .next()
        .and_then(|t| t.value.clone())
        .filter(|v| !matches!(v, TimeValue::Interval(..)))
}

/// A few tokens either side of a mention, within its sentence.
fn near_window(cx: &Context, sentence: usize, at: Span) -> Span {
    let s = &cx.layers.sentences[sentence];
    let i = s.tokens.start + cx.layers.tokens[s.tokens.clone()].partition_point(|t| t.span.start < at.start);
    let lo = i.saturating_sub(3).max(s.tokens.start);
    let hi = (i + 5).min(s.tokens.end);
    Span::new(cx.layers.tokens[lo].span.start, cx.layers.tokens[hi - 1].span.end).cover(at)
}

/// The place of a mention: a place right before it ("the Kerman bombings") or one that a
/// locative word ties to the sentence ("in Kerman", "near Baghdad airport"), nearest
/// after the mention first. A place merely named in the sentence ("blamed Israel") is
/// not where the incident happened.
fn place_near(cx: &Context, places: &[PlaceAt], scope: Span, at: Span) -> Option<usize> {
    let locative = |p: &PlaceAt| {
        let s = p.span;
        let adjacent = p.after_the || cx.layers.text[s.end..at.start.max(s.end)].trim().is_empty();
        (p.after_prep || s.end <= at.start && adjacent) && !p.after_talk
    };
    let inside = crate::inside(places, scope, |p| p.span).filter(|p| locative(p));
    let after = inside.clone().filter(|p| p.span.start >= at.end).min_by_key(|p| (p.span.start - at.end, p.order));
    let before = inside.filter(|p| p.span.end <= at.start).min_by_key(|p| (at.start - p.span.end, p.order));
    after.or(before).map(|p| p.entity)
}

/// A place mention, with what the words before it say (worked out once per mention,
/// not once per incident mention near it).
#[derive(Debug, Clone, Copy)]
struct PlaceAt {
    entity: usize,
    span: Span,
    /// Its position in entity order, which breaks ties as a scan in that order would.
    order: usize,
    /// "in Kerman", "over eastern Ukraine", "on a Paris concert hall".
    after_prep: bool,
    /// "the Kerman bombings".
    after_the: bool,
    /// "presented its report in The Hague", "said in Washington": where words were
    /// spoken, not where the deed was done.
    after_talk: bool,
}

impl PlaceAt {
    fn new(text: &str, entity: usize, span: Span, order: usize) -> PlaceAt {
        let before = text[..span.start].trim_end();
        let mut words = before.rsplit(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty());
        let is_prep = |w: &str| {
            matches!(
                w.to_lowercase().as_str(),
                "in" | "at" | "near" | "outside" | "inside" | "over" | "across" | "of" | "on"
            )
        };
        let after_prep = words.next().is_some_and(is_prep) || words.next().is_some_and(is_prep);
        let after_talk = before.rsplit(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(4).any(|w| {
            let w = w.to_lowercase();
            crate::claims::is_reporting_verb(&w)
                || matches!(
                    w.as_str(),
                    "report"
                        | "findings"
                        | "conference"
                        | "meeting"
                        | "court"
                        | "trial"
                        | "summit"
                        | "presented"
                        | "visit"
                        | "visited"
                )
        });
        PlaceAt { entity, span, order, after_prep, after_the: before.ends_with("the"), after_talk }
    }
}

/// How well a place names where an incident happened: a city best, then a facility in
/// it, a province or region, and a country last.
fn place_rank(cx: &Context, e: &Entity) -> u8 {
    match feature_of(cx, e) {
        Some(Feature::City) => 4,
        Some(Feature::Facility) => 3,
        Some(Feature::Admin1) => 2,
        Some(Feature::Region) => 1,
        Some(Feature::Country) => 0,
        _ => 2,
    }
}

/// Whether `a` names the incident's place at least as well as `b`.
fn more_specific(cx: &Context, a: &Entity, b: &Entity) -> bool {
    place_rank(cx, a) >= place_rank(cx, b)
}

fn feature_of(cx: &Context, e: &Entity) -> Option<Feature> {
    cx.resources.lookup(&e.name).map(|id| cx.resources.entry(id).feature)
}

/// Whether two dates can name the same day at their precisions.
pub fn dates_compatible(a: &TimeValue, b: &TimeValue) -> bool {
    fn bounds(v: &TimeValue) -> (i64, i64) {
        match v {
            TimeValue::Year(y) => {
                (Date::new(*y, 1, 1).map_or(0, Date::to_days), Date::new(*y, 12, 31).map_or(0, Date::to_days))
            }
            TimeValue::Month(y, m) => {
                let first = Date::new(*y, *m, 1).map_or(0, Date::to_days);
                let last = Date::new(*y, *m, claimgraph_model::days_in_month(*y, *m)).map_or(0, Date::to_days);
                (first, last)
            }
            TimeValue::Day(d) => (d.to_days(), d.to_days()),
            TimeValue::Interval(a, b) => (bounds(a).0, bounds(b).1),
        }
    }
    let (a0, a1) = bounds(a);
    let (b0, b1) = bounds(b);
    a0 <= b1 && b0 <= a1
}

/// The incident a mention refers to, or `None` for a new one.
fn choose(
    cx: &Context,
    incidents: &[Building],
    pool: &[usize],
    m: &MentionAt,
    date: Option<&TimeValue>,
    place: Option<usize>,
) -> Option<usize> {
    if incidents.is_empty() {
        return None;
    }
    let compatible = |b: &Building| {
        let kind_ok = kinds_compatible(m, b);
        let date_ok = match (date, b.date.as_ref()) {
            (Some(d), Some(bd)) => dates_compatible(d, bd),
            _ => true,
        };
        let place_ok = match (place, b.place) {
            (Some(p), Some(bp)) => p == bp || places_nest(cx, p, bp),
            _ => true,
        };
        kind_ok && date_ok && place_ok
    };
    // "an airstrike", "a second attack", "Separately, …" after the lede introduces an
    // incident of its own, unless its date names one already found.
    if m.indefinite && m.sentence >= 2 && matches!(m.trigger, Trigger::Act(_, w) if w >= 0.8) {
        let same_day =
            date.and_then(|d| pool.iter().copied().find(|&i| incidents[i].date.as_ref().is_some_and(|bd| bd == d)));
        return same_day;
    }
    // A mention whose own date is far from the main story's, with no incident on that
    // date yet, starts a new incident (a background paragraph).
    let candidates: Vec<usize> = pool.iter().copied().filter(|&i| compatible(&incidents[i])).collect();
    if candidates.is_empty() {
        return None;
    }
    // An explicitly dated mention prefers an incident with the same date.
    if let Some(d) = date {
        if let Some(&i) =
            candidates.iter().find(|&&i| incidents[i].date.as_ref().is_some_and(|bd| dates_compatible(d, bd)))
        {
            return Some(i);
        }
        // A dated mention whose date differs from the publication by more than a month,
        // when the candidates are undated: background, unless it is the only incident.
        if let (Some(p), TimeValue::Year(_) | TimeValue::Month(..) | TimeValue::Day(_)) = (cx.published, d) {
            let recent = dates_compatible(d, &TimeValue::Month(p.year, p.month))
                || dates_compatible(d, &TimeValue::Day(p))
                || matches!(d, TimeValue::Day(day) if (p.to_days() - day.to_days()).abs() <= 31);
            if !recent && m.trigger != Trigger::Casualty && !m.definite {
                return None;
            }
        }
    }
    // Definite references and casualty words go to the most recently mentioned
    // compatible incident; other mentions to the first (the story's main incident).
    if m.definite || m.trigger == Trigger::Casualty {
        candidates.iter().copied().max_by_key(|&i| incidents[i].mentions.last().map_or(0, |x| x.span.start))
    } else {
        candidates.first().copied()
    }
}

/// Whether a mention's act can be part of an incident: strikes from the air or afar
/// (air, drone, missile, artillery) and attacks on the ground (bombs, guns, hostages)
/// are different incidents; generic words ("attack") and casualties fit anything.
fn kinds_compatible(m: &MentionAt, b: &Building) -> bool {
    use IncidentKind::*;
    let Trigger::Act(kind, weight) = m.trigger else { return true };
    if weight < 0.5 {
        return true;
    }
    let remote = |k: IncidentKind| matches!(k, Airstrike | DroneStrike | MissileStrike | Shelling);
    let dominant = b.votes.iter().filter(|(_, w)| **w >= 0.5).max_by(|x, y| x.1.total_cmp(y.1)).map(|(k, _)| *k);
    match dominant {
        Some(d) if d != Other && kind != Other => remote(d) == remote(kind),
        _ => true,
    }
}

/// Whether two places can be where one incident happened: one inside the other (a
/// country and a place in it) or close together (sites of one coordinated attack in a
/// city, within 60 km).
fn places_nest(cx: &Context, a: usize, b: usize) -> bool {
    let (ea, eb) = (&cx.layers.entities[a], &cx.layers.entities[b]);
    if let (Some(ga), Some(gb)) = (ea.geo, eb.geo) {
        if distance_km(ga.lat, ga.lon, gb.lat, gb.lon) < 60.0 {
            return true;
        }
    }
    let broad = |e: &Entity| matches!(feature_of(cx, e), Some(Feature::Country | Feature::Region | Feature::Admin1));
    match (ea.country.as_deref(), eb.country.as_deref()) {
        (Some(ca), Some(cb)) if ca == cb => broad(ea) || broad(eb),
        _ => false,
    }
}

/// Great-circle distance.
fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// For each sentence, the incidents with a mention in it.
fn owners_by_sentence(incidents: &[Building]) -> HashMap<usize, Vec<usize>> {
    let mut map: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, b) in incidents.iter().enumerate() {
        for &s in &b.sentences {
            map.entry(s).or_default().push(i);
        }
    }
    map
}

fn finish(cx: &Context, n: usize, b: &Building, owners: &HashMap<usize, Vec<usize>>) -> Incident {
    let mut kind = b
        .votes
        .iter()
        .max_by(|x, y| x.1.total_cmp(y.1).then_with(|| priority(*y.0).cmp(&priority(*x.0))))
        .map_or(IncidentKind::Other, |(k, _)| *k);
    // A bombing any mention calls a suicide bombing is one.
    if kind == IncidentKind::Bombing && b.votes.contains_key(&IncidentKind::SuicideBombing) {
        kind = IncidentKind::SuicideBombing;
    }
    let place = b.place.map(|p| {
        let e = &cx.layers.entities[p];
        Place { name: e.name.clone(), country: e.country.clone(), geo: e.geo.map(|g| Geo { lat: g.lat, lon: g.lon }) }
    });
    let label = b.label_word.as_ref().map(|w| match &place {
        Some(p) => format!("{} {}", p.name, w),
        None => w.clone(),
    });
    // Figures from sentences where this incident alone is spoken of.
    let own = |s: usize| owners.get(&s).is_some_and(|o| o.len() == 1);
    let figure = |category: Category| -> Option<Figure> {
        b.sentences.iter().filter(|&&s| own(s)).find_map(|&s| {
            let span = cx.layers.sentences[s].span;
            crate::inside(cx.layers.quantities, span, |q| q.span).find(|q| q.category == category).map(|q| Figure {
                value: q.value,
                upper: q.upper,
                qualifier: q.qualifier,
                span: q.span,
            })
        })
    };
    let mut mentions: Vec<Span> = b.mentions.iter().map(|m| m.span).collect();
    mentions.sort();
    Incident {
        id: format!("i{}", n + 1),
        kind,
        label,
        date: b.date.clone(),
        place,
        killed: figure(Category::Killed),
        injured: figure(Category::Injured),
        perpetrators: Vec::new(),
        mentions,
    }
}

/// Ties are broken towards the more specific kind.
fn priority(k: IncidentKind) -> u8 {
    use IncidentKind::*;
    match k {
        SuicideBombing => 0,
        Hijacking => 1,
        Assassination => 2,
        HostageTaking => 3,
        MissileStrike => 4,
        DroneStrike => 5,
        Airstrike => 6,
        Shelling => 7,
        Bombing => 8,
        Arson => 9,
        Massacre => 10,
        ArmedAssault => 11,
        Other => 12,
    }
}

/// Links claims to incidents (`about`) and sets perpetrators from them: responsibility →
/// claimed, accusation → accused, denial → denied. Both a claim and a denial, or
/// accusations against two parties, stay visible as separate perpetrator entries.
pub fn link_claims(incidents: &mut [Incident], claims: &mut [Claim], sentences: &[SentenceTokens]) {
    if incidents.is_empty() {
        return;
    }
    let sentence_of = |byte: usize| sentences.partition_point(|s| s.span.end <= byte);
    // Indexes built once, so that each claim costs a few binary searches rather than a
    // pass over every mention of every incident: the first incident mentioned in each
    // sentence, and every mention by end with the latest (start, incident) up to it.
    let mut first_in_sentence: Vec<Option<usize>> = vec![None; sentences.len() + 1];
    let mut by_end: Vec<(usize, usize, usize)> = Vec::new();
    for (n, inc) in incidents.iter().enumerate() {
        for m in &inc.mentions {
            first_in_sentence[sentence_of(m.start)].get_or_insert(n);
            by_end.push((m.end, m.start, n));
        }
    }
    by_end.sort_unstable();
    let latest: Vec<(usize, usize)> = by_end
        .iter()
        .scan(None, |best: &mut Option<(usize, usize)>, &(_, start, n)| {
            *best = (*best).max(Some((start, n)));
            *best
        })
        .collect();
    for c in claims.iter_mut() {
        let s = sentence_of(c.span.start);
        let s_end = sentence_of(c.span.end.saturating_sub(1));
        // An incident mentioned within the claim's sentences, else the one mentioned most
        // recently before it, else the story's main incident.
        let within =
            (s..=s_end).filter_map(|k| first_in_sentence.get(k).copied().flatten()).min().map(|n| &incidents[n]);
        let upto = by_end.partition_point(|&(end, _, _)| end <= c.span.start);
        let before = upto.checked_sub(1).map(|k| &incidents[latest[k].1]);
        // Who-did-it claims with no incident in their sentences are about the story's main
        // incident; other statements about the one spoken of last.
        let main = incidents.first();
        let fallback = match c.kind {
            ClaimKind::Responsibility | ClaimKind::Accusation | ClaimKind::Denial => main,
            _ => before.or(main),
        };
        c.about = within.or(fallback).map(|i| i.id.clone());
    }
    let mut claims_about: HashMap<&str, Vec<&Claim>> = HashMap::new();
    for c in claims.iter() {
        if let Some(about) = c.about.as_deref() {
            claims_about.entry(about).or_default().push(c);
        }
    }
    for inc in incidents.iter_mut() {
        let mut perps: Vec<Perpetrator> = Vec::new();
        let mut seen: std::collections::HashSet<(String, PerpetratorStatus)> = Default::default();
        let mut add = |actor: &ActorRef, status: PerpetratorStatus| {
            let Some(name) = actor.name.clone() else { return };
            if seen.insert((name.clone(), status)) {
                perps.push(Perpetrator { name, entity: actor.entity.clone(), status });
            }
        };
        for c in claims_about.get(inc.id.as_str()).into_iter().flatten() {
            let status = match c.kind {
                ClaimKind::Responsibility => PerpetratorStatus::Claimed,
                ClaimKind::Accusation => {
                    if c.cue
                        .as_deref()
                        .is_some_and(|q| crate::claims::VERDICT_CUES.contains(&q.to_lowercase().as_str()))
                    {
                        PerpetratorStatus::Confirmed
                    } else if c.cue.as_deref().is_some_and(|q| q.starts_with("suspect")) {
                        PerpetratorStatus::Suspected
                    } else {
                        PerpetratorStatus::Accused
                    }
                }
                ClaimKind::Denial => PerpetratorStatus::Denied,
                _ => continue,
            };
            for t in &c.targets {
                add(t, status);
            }
        }
        inc.perpetrators = perps;
    }
}
