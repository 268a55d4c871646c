//! How claimgraph's incident kinds, precisions and places are coded in ACLED and GTD
//! terms, both ways. `docs/EXPORTS.md` has the same tables for people.

use claimgraph_model::IncidentKind;

/// ACLED event type and sub-event type of an incident kind.
pub fn acled_type(kind: IncidentKind) -> (&'static str, &'static str) {
    use IncidentKind::*;
    match kind {
        Bombing => ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
        SuicideBombing => ("Explosions/Remote violence", "Suicide bomb"),
        Airstrike | DroneStrike => ("Explosions/Remote violence", "Air/drone strike"),
        MissileStrike | Shelling => ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        HostageTaking | Hijacking => ("Violence against civilians", "Abduction/forced disappearance"),
        Arson => ("Strategic developments", "Looting/property destruction"),
        ArmedAssault | Massacre | Assassination | Other => ("Violence against civilians", "Attack"),
    }
}

/// The incident kind an ACLED sub-event type codes (the reverse of [`acled_type`]; for
/// sub-event types several kinds share, the first of them).
pub fn kind_of_acled(sub_event_type: &str) -> IncidentKind {
    use IncidentKind::*;
    match sub_event_type.trim() {
        "Remote explosive/landmine/IED" | "Grenade" => Bombing,
        "Suicide bomb" => SuicideBombing,
        "Air/drone strike" => Airstrike,
        "Shelling/artillery/missile attack" => MissileStrike,
        "Abduction/forced disappearance" => HostageTaking,
        "Looting/property destruction" | "Arson" => Arson,
        _ => ArmedAssault,
    }
}

/// GTD attack type and weapon type of an incident kind.
pub fn gtd_type(kind: IncidentKind) -> (&'static str, &'static str) {
    use IncidentKind::*;
    match kind {
        Bombing | SuicideBombing => ("Bombing/Explosion", "Explosives"),
        Airstrike | DroneStrike | MissileStrike | Shelling => ("Bombing/Explosion", "Explosives"),
        HostageTaking => ("Hostage Taking (Kidnapping)", "Unknown"),
        Hijacking => ("Hijacking", "Unknown"),
        Assassination => ("Assassination", "Firearms"),
        Arson => ("Facility/Infrastructure Attack", "Incendiary"),
        ArmedAssault | Massacre => ("Armed Assault", "Firearms"),
        Other => ("Unknown", "Unknown"),
    }
}

/// The incident kind a GTD attack type codes (suicide attacks by the `suicide` flag).
pub fn kind_of_gtd(attack_type: &str, suicide: bool) -> IncidentKind {
    use IncidentKind::*;
    match attack_type.trim() {
        "Bombing/Explosion" if suicide => SuicideBombing,
        "Bombing/Explosion" => Bombing,
        "Hostage Taking (Kidnapping)" | "Hostage Taking (Barricade Incident)" => HostageTaking,
        "Hijacking" => Hijacking,
        "Assassination" => Assassination,
        "Facility/Infrastructure Attack" => Arson,
        "Armed Assault" | "Unarmed Assault" => ArmedAssault,
        _ => Other,
    }
}

/// ACLED time precision: 1 the day is known, 2 the week or a few days, 3 the month or
/// coarser.
pub fn acled_time_precision(date: &str) -> u8 {
    match date.len() {
        10 => 1,
        _ => 3,
    }
}
