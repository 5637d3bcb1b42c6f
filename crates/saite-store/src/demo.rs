//! Demo data: a realistic sample built from the facts of the NGO's own news items
//! (`shared/seeds/`): the Daugavpils seminar of the "Pārdota brīvība" campaign and the
//! institutions that took part, the librarians' conference of "Atver acis", STROM,
//! HESTIA, the NVA branches, schools and youth centres that received posters and
//! banners, the booklet sent to embassies, and Riga's training figures by year
//! (60, 60, 95, 81, 115 municipal employees in 2010–2014), and the hotline's 471
//! contacts from August 2013 to December 2015, most about sham marriages and safe work
//! abroad (spread over the months, topics and channels by fixed arithmetic, not drawn).
//!
//! Every record goes through the ordinary write path, so demo data is validated,
//! stamped and searchable like anything a consultant types.

use saite_domain::{Collection, RecordId};
use serde_json::{Map, Value, json};

use crate::{Store, error::Result};

/// How much the demo loaded, per collection.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct DemoSummary {
    pub records: u32,
    pub already_loaded: bool,
}

struct Loader<'a> {
    store: &'a mut Store,
    count: u32,
    /// Funders made so far, by name.
    funders: std::collections::BTreeMap<&'static str, RecordId>,
}

/// The funders the seeds name, and their kinds.
const FUNDERS: [(&str, &str); 9] = [
    ("Philip Morris International", "company"),
    ("EuroAWK", "company"),
    ("Iekšlietu ministrija", "state"),
    ("Philip Morris Latvia International", "company"),
    ("Baltijas jūras valstu padomes Projektu atbalsta fonds", "international-organisation"),
    ("Zviedru institūts", "foreign-state"),
    ("EEZ finanšu instruments", "eu-or-eea"),
    ("Latvijas valsts", "state"),
    ("Rīgas dome", "municipality"),
];

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => unreachable!("demo documents are objects"),
    }
}

impl Loader<'_> {
    fn add(&mut self, collection: Collection, doc: Value) -> Result<RecordId> {
        self.count += 1;
        Ok(self.store.create(collection, obj(doc))?.id)
    }

    /// A campaign and its funders (made once each, then linked).
    fn campaign(&mut self, doc: Value, funders: &[&'static str]) -> Result<RecordId> {
        let campaign = self.add(Collection::Campaign, doc)?;
        for name in funders {
            let funder = match self.funders.get(name) {
                Some(id) => *id,
                None => {
                    let kind = FUNDERS.iter().find(|(n, _)| n == name).map_or("other", |(_, k)| k);
                    let id = self.add(Collection::Funder, json!({"name": name, "kind": kind}))?;
                    self.funders.insert(name, id);
                    id
                }
            };
            self.add(Collection::CampaignFunder, json!({"campaign": campaign, "funder": funder}))?;
        }
        Ok(campaign)
    }

    fn org(&mut self, name: &str, kind: &str, municipality: Option<&str>) -> Result<RecordId> {
        self.add(Collection::Organisation, json!({"name": name, "kind": kind, "municipality": municipality}))
    }

    fn link_org(&mut self, seminar: RecordId, organisation: RecordId) -> Result<()> {
        self.add(Collection::SeminarOrganisation, json!({"seminar": seminar, "organisation": organisation}))?;
        Ok(())
    }

    fn distribute(
        &mut self,
        material: RecordId,
        organisation: RecordId,
        quantity: i64,
        date: &str,
        method: &str,
    ) -> Result<()> {
        self.add(
            Collection::Distribution,
            json!({"material": material, "organisation": organisation, "quantity": quantity, "date": date, "method": method}),
        )?;
        Ok(())
    }
}

const NVA_TOWNS: [(&str, &str); 28] = [
    ("Rīgas", "riga"),
    ("Daugavpils", "daugavpils"),
    ("Jelgavas", "jelgava"),
    ("Jūrmalas", "jurmala"),
    ("Liepājas", "liepaja"),
    ("Rēzeknes", "rezekne"),
    ("Ventspils", "ventspils"),
    ("Aizkraukles", "aizkraukles-novads"),
    ("Alūksnes", "aluksnes-novads"),
    ("Balvu", "balvu-novads"),
    ("Bauskas", "bauskas-novads"),
    ("Cēsu", "cesu-novads"),
    ("Dobeles", "dobeles-novads"),
    ("Gulbenes", "gulbenes-novads"),
    ("Jēkabpils", "jekabpils-novads"),
    ("Krāslavas", "kraslavas-novads"),
    ("Kuldīgas", "kuldigas-novads"),
    ("Limbažu", "limbazu-novads"),
    ("Līvānu", "livanu-novads"),
    ("Ludzas", "ludzas-novads"),
    ("Madonas", "madonas-novads"),
    ("Ogres", "ogres-novads"),
    ("Preiļu", "prelu-novads"),
    ("Saldus", "saldus-novads"),
    ("Siguldas", "siguldas-novads"),
    ("Talsu", "talsu-novads"),
    ("Tukuma", "tukuma-novads"),
    ("Valmieras", "valmieras-novads"),
];

impl Store {
    /// Loads the demo sample once; a second call loads nothing.
    pub fn load_demo_data(&mut self) -> Result<DemoSummary> {
        let loaded: Option<String> = rusqlite::OptionalExtension::optional(self.conn.query_row(
            "SELECT value FROM meta WHERE key = 'demo_loaded'",
            [],
            |r| r.get(0),
        ))?;
        if loaded.is_some() {
            return Ok(DemoSummary { records: 0, already_loaded: true });
        }
        let mut l = Loader { store: self, count: 0, funders: Default::default() };

        // Campaigns and projects.
        let pardota = l.campaign(json!({"name": "Pārdota brīvība", "kind": "campaign", "startsOn": "2012-08-01",
            "description": "Vides reklāma piecās lielākajās pilsētās — Rīgā, Rēzeknē, Valmierā, Liepājā un Daugavpilī — un apaļā galda diskusijas pašvaldībās."}), &["Philip Morris International", "EuroAWK"])?;
        let atver = l.campaign(
            json!({"name": "Atver acis", "kind": "campaign", "startsOn": "2011-10-01",
            "description": "Bibliotekāru izglītošana par cilvēku tirdzniecības problemātiku."}),
            &["Iekšlietu ministrija", "Philip Morris Latvia International"],
        )?;
        let strom = l.campaign(
            json!({"name": "STROM", "kind": "project", "startsOn": "2014-11-03", "endsOn": "2015-10-31",
            "description": "Stiprinot pašvaldību lomu darbam cīņā ar cilvēku tirdzniecību Baltijas jūras reģionā."}),
            &["Baltijas jūras valstu padomes Projektu atbalsta fonds", "Zviedru institūts", "Iekšlietu ministrija"],
        )?;
        l.campaign(
            json!({"name": "HESTIA", "kind": "project", "startsOn": "2015-09-01",
            "description": "Novēršot cilvēku tirdzniecību un fiktīvās laulības: daudznozaru risinājums."}),
            &[],
        )?;
        let support = l.campaign(
            json!({"name": "Biedrības darbības atbalsta programma cilvēku tirdzniecības mazināšanai Latvijā",
            "kind": "project", "startsOn": "2013-07-01", "endsOn": "2015-12-31",
            "description": "Uzticības tālrunis 28612120, NVO koalīcija, Forumteātra nodarbības jauniešiem."}),
            &["EEZ finanšu instruments", "Latvijas valsts"],
        )?;
        let riga_project = l.campaign(
            json!({"name": "Preventīvie pasākumi cilvēku tirdzniecības mazināšanai - 2015",
            "kind": "project", "startsOn": "2015-01-01", "endsOn": "2015-06-30",
            "description": "Rīgas pašvaldības darbinieku izglītošana."}),
            &["Rīgas dome"],
        )?;

        // The NGO itself and its coalition partners.
        let dm = l.add(Collection::Organisation, json!({"name": "Patvērums „Drošā māja”", "kind": "ngo", "municipality": "riga",
            "address": "Lāčplēša iela 75 - 1 B, Rīga", "phones": ["+37128612120", "+37125565098", "+37167898343"],
            "website": "www.patverums-dm.lv", "coalitionMember": true,
            "notes": "Uzticības tālrunis 24/7: +371 28612120. Konsultācijas reģionos: Latgale +371 25723222, Kurzeme +371 25719118, Vidzeme +371 25719266, Zemgale +371 25719588."}))?;
        for (name, kind, municipality) in [
            ("Latvijas SOS bērnu ciematu asociācija", "ngo", None),
            ("Ģimenes krīzes centrs „Mīlgrāvis”", "crisis-centre", Some("riga")),
            ("Krīzes centrs bērniem un sievietēm „Māras centrs”", "crisis-centre", Some("riga")),
            ("Talsu novada krīžu centrs", "crisis-centre", Some("talsu-novads")),
            ("Baltijas Reģionālais fonds", "ngo", Some("riga")),
            ("Par brīvu Vidzemi no cilvēku tirdzniecības", "ngo", Some("valmieras-novads")),
            ("Īrijas latviešu nacionālā padome", "ngo", None),
            ("Krīzes centrs ģimenēm ar bērniem „Paspārne”", "crisis-centre", None),
            ("Centrs Valdardze", "ngo", None),
            ("Pestīšanas armija", "ngo", Some("riga")),
        ] {
            l.add(
                Collection::Organisation,
                json!({"name": name, "kind": kind, "municipality": municipality, "coalitionMember": true}),
            )?;
        }
        let dgp_shelter = l.add(
            Collection::Organisation,
            json!({"name": "Daugavpils pilsētas domes ģimenes atbalsta centrs-patversme",
            "kind": "family-support-centre", "municipality": "daugavpils", "coalitionMember": true}),
        )?;
        l.add(
            Collection::Person,
            json!({"fullName": "Sandra Zalcmane", "organisation": dm, "position": "Biedrības vadītāja",
            "preferredLanguage": "lv", "legalBasis": "legitimate-interest", "basisConfirmedOn": "2015-12-15"}),
        )?;
        l.add(
            Collection::Person,
            json!({"fullName": "Rasa Saliņa", "organisation": dm, "position": "Sabiedrisko attiecību speciāliste",
            "phones": ["+37129145314"], "emails": ["rasa.salina@gmail.com"], "preferredLanguage": "lv",
            "legalBasis": "legitimate-interest", "basisConfirmedOn": "2015-12-15"}),
        )?;

        // The Daugavpils seminar of "Pārdota brīvība" and who took part.
        let mut dgp_orgs = vec![
            l.org("NVA Daugavpils filiāle", "nva-branch", Some("daugavpils"))?,
            l.org("Daugavpils ģimenes atbalsta centrs", "family-support-centre", Some("daugavpils"))?,
            l.org("Daugavpils sociālo lietu pārvaldes Sociālā atbalsta nodaļa", "social-service", Some("daugavpils"))?,
            l.org(
                "Daugavpils sociālo lietu pārvaldes Ģimenēm ar bērniem atbalsta nodaļa",
                "social-service",
                Some("daugavpils"),
            )?,
            l.org("Daugavpils Izglītības pārvalde", "education-board", Some("daugavpils"))?,
            l.org("Valsts robežsardzes Daugavpils pārvalde", "border-guard", Some("daugavpils"))?,
            l.org(
                "Valsts policijas Kriminālpārvaldes Organizētās noziedzības apkarošanas nodaļa",
                "state-police",
                Some("riga"),
            )?,
            l.org(
                "Valsts policijas Latgales reģiona pārvaldes Daugavpils iecirknis",
                "state-police",
                Some("daugavpils"),
            )?,
        ];
        dgp_orgs.push(dgp_shelter);
        let dgp = l.add(Collection::Seminar, json!({"title": "Informatīvs seminārs par cilvēku tirdzniecību", "kind": "seminar",
            "date": "2012-11-09", "municipality": "daugavpils", "venue": "Daugavpils pašvaldība", "organisedBy": dm,
            "campaign": pardota, "topics": ["Identificētie gadījumi reģionā", "Informācijas apmaiņa starp institūcijām", "Starpinstitucionālā sadarbība"],
            "participants": {"social-workers": 6, "state-police-officers": 3, "border-guards": 2, "municipal-employees": 4},
            "notes": "Vietējie speciālisti atzina, ka reģionā ir identificēti cilvēku tirdzniecības gadījumi; nepieciešams regulārs preventīvais darbs un informācijas apmaiņa. Starpprofesionāla un starpinstitucionāla sadarbība Daugavpilī notiek praksē."}))?;
        for o in &dgp_orgs {
            l.link_org(dgp, *o)?;
        }
        l.add(Collection::FollowUp, json!({"title": "Izstrādāt rīcības plānu palīdzības sniegšanai", "seminar": dgp, "owner": "Sandra Zalcmane", "dueOn": "2013-02-01"}))?;
        for (date, municipality, title) in [
            ("2012-10-10", "riga", "Apaļā galda diskusija Rīgas pašvaldībā"),
            ("2012-10-24", "rezekne", "Apaļā galda diskusija Rēzeknes pašvaldībā"),
            ("2012-11-21", "liepaja", "Apaļā galda diskusija Liepājas pašvaldībā"),
            ("2012-11-28", "valmieras-novads", "Apaļā galda diskusija Valmieras pašvaldībā"),
        ] {
            l.add(
                Collection::Seminar,
                json!({"title": title, "kind": "round-table", "date": date, "municipality": municipality,
                "campaign": pardota, "participants": {"municipal-employees": 12}}),
            )?;
        }

        // "Atver acis": the librarians' conference-seminar.
        let libraries = l.add(Collection::Seminar, json!({"title": "Preventīvie pasākumi cilvēku tirdzniecības mazināšanā", "kind": "conference-seminar",
            "date": "2011-10-11", "municipality": "riga", "campaign": atver, "organisedBy": dm,
            "topics": ["Politiskais un tiesiskais ietvars", "Mūsdienu verdzība pasaulē un Latvijā", "Gadījumu identificēšana",
                       "Juridiskā palīdzība cietušajiem", "Starpinstitucionālā palīdzība", "Bibliotēku iesaiste, tematiskās grāmatu izstādes"],
            "participants": {"librarians": 40}}))?;
        let lib = l.org("Latgales Centrālā bibliotēka", "library", Some("daugavpils"))?;
        l.link_org(libraries, lib)?;

        // STROM: the regional expert group meeting in Rīga.
        l.add(
            Collection::Seminar,
            json!({"title": "STROM reģionālo ekspertu grupas sanāksme", "kind": "expert-meeting",
            "date": "2015-05-20", "municipality": "riga", "campaign": strom, "participants": {"municipal-employees": 25}}),
        )?;

        // Riga's training of municipal employees, 2010–2014: 411 people.
        let welfare = l.org("Rīgas domes Labklājības departaments", "municipality", Some("riga"))?;
        for (year, groups) in [
            (2010, json!({"social-workers": 60})),
            (2011, json!({"social-workers": 60})),
            (2012, json!({"social-workers": 25, "social-pedagogues": 50, "municipal-police-officers": 20})),
            (2013, json!({"municipal-police-officers": 20, "municipal-employees": 61})),
            (2014, json!({"municipal-police-officers": 20, "social-workers": 95})),
        ] {
            l.add(Collection::Seminar, json!({"title": format!("Rīgas pašvaldības darbinieku apmācības {year}"), "kind": "training",
                "date": format!("{year}-10-15"), "municipality": "riga", "organisedBy": welfare, "participants": groups}))?;
        }
        l.add(
            Collection::Seminar,
            json!({"title": "Starpinstitucionāls seminārs Rīgas sociālo institūciju vadītājiem", "kind": "seminar",
            "date": "2015-04-22", "municipality": "riga", "campaign": riga_project, "participants": {"social-workers": 30}}),
        )?;

        // Forum theatre: 15 sessions in 2015, 655 young people.
        let forum_towns = [
            "riga",
            "daugavpils",
            "rezekne",
            "liepaja",
            "jelgava",
            "ventspils",
            "valmieras-novads",
            "cesu-novads",
            "talsu-novads",
            "kuldigas-novads",
            "ludzas-novads",
            "kraslavas-novads",
            "madonas-novads",
            "bauskas-novads",
            "ogres-novads",
        ];
        for (i, town) in forum_towns.iter().enumerate() {
            let pupils = if i < 10 { 44 } else { 43 };
            l.add(
                Collection::Seminar,
                json!({"title": "Forumteātra nodarbība skolēniem", "kind": "forum-theatre",
                "date": format!("2015-{:02}-{:02}", 2 + i / 3, 3 + (i % 3) * 7), "municipality": town, "campaign": support,
                "participants": {"pupils": pupils}}),
            )?;
        }

        // Materials and where they went.
        let booklet = l.add(
            Collection::Material,
            json!({"title": "Cilvēku tirdzniecības novēršana", "kind": "booklet", "stock": 350,
            "description": "Rīgas domes informatīvais buklets latviešu un krievu valodā."}),
        )?;
        for lang in ["lv", "ru"] {
            l.add(Collection::MaterialVersion, json!({"material": booklet, "language": lang}))?;
        }
        l.add(Collection::MaterialCampaign, json!({"material": booklet, "campaign": riga_project}))?;
        for (name, country) in [
            ("Latvijas Republikas vēstniecība Lielbritānijā", "gb"),
            ("Latvijas Republikas vēstniecība Īrijā", "ie"),
            ("Latvijas Republikas vēstniecība Kiprā", "cy"),
        ] {
            let embassy =
                l.add(Collection::Organisation, json!({"name": name, "kind": "embassy", "country": country}))?;
            l.distribute(booklet, embassy, 200, "2014-09-01", "mailed")?;
        }
        let banner = l.add(
            Collection::Material,
            json!({"title": "Uzticības tālrunis 28612120 — baneris", "kind": "banner", "stock": 4,
            "description": "Izstrādāts sadarbībā ar www.irdarbs.lv."}),
        )?;
        let poster = l.add(
            Collection::Material,
            json!({"title": "Uzticības tālrunis 28612120 — plakāts", "kind": "poster", "stock": 120}),
        )?;
        for m in [banner, poster] {
            l.add(Collection::MaterialCampaign, json!({"material": m, "campaign": support}))?;
        }
        for (town, municipality) in NVA_TOWNS {
            let branch = if town == "Daugavpils" {
                dgp_orgs[0]
            } else {
                l.org(&format!("NVA {town} filiāle"), "nva-branch", Some(municipality))?
            };
            l.distribute(banner, branch, 1, "2014-06-01", "placed")?;
        }
        for (name, municipality) in [
            ("Daugavpils 9. vidusskola", "daugavpils"),
            ("Rēzeknes Valsts poļu ģimnāzija", "rezekne"),
            ("Liepājas Valsts 1. ģimnāzija", "liepaja"),
            ("Valmieras Pārgaujas Valsts ģimnāzija", "valmieras-novads"),
            ("Jelgavas Valsts ģimnāzija", "jelgava"),
            ("Ludzas pilsētas ģimnāzija", "ludzas-novads"),
        ] {
            let school = l.org(name, "school", Some(municipality))?;
            l.distribute(poster, school, 2, "2014-09-15", "mailed")?;
        }
        for (name, municipality) in [
            ("Jauniešu centrs „Kvartāls”", "daugavpils"),
            ("Rēzeknes jauniešu centrs", "rezekne"),
            ("Liepājas jauniešu centrs", "liepaja"),
            ("Valmieras jauniešu centrs „Vinda”", "valmieras-novads"),
        ] {
            let centre = l.org(name, "youth-centre", Some(municipality))?;
            l.distribute(poster, centre, 3, "2014-09-15", "mailed")?;
        }
        let hostels = l.org("Latvijas hosteļu asociācija", "hostel", Some("riga"))?;
        l.distribute(poster, hostels, 20, "2015-06-01", "placed")?;
        l.add(
            Collection::Material,
            json!({"title": "Forumteātra nodarbības plāns", "kind": "lesson-plan", "stock": 0,
            "description": "Neformālās izglītības metodes „Forumteātris” nodarbības plāns skolēniem (2014)."}),
        )?;

        for contact in hotline_contacts() {
            l.add(Collection::HotlineContact, contact)?;
        }

        let count = l.count;
        self.conn.execute("INSERT INTO meta (key, value) VALUES ('demo_loaded', ?1)", [count.to_string()])?;
        Ok(DemoSummary { records: count, already_loaded: false })
    }
}

/// How many of the hotline's 471 contacts (2013-08 to 2015-12) were about each topic.
const HOTLINE_TOPICS: [(&str, usize); 5] = [
    ("sham-marriage", 168),
    ("work-abroad", 152),
    ("labour-exploitation", 61),
    ("sexual-exploitation", 38),
    ("other", 52),
];

/// The demo's hotline contacts: 471 over the 29 months from August 2013, each topic as
/// often as [`HOTLINE_TOPICS`] says (contact `i` takes the topic at `13 i mod 471`, a
/// permutation, so topics mix over time).
fn hotline_contacts() -> Vec<Value> {
    const CONTACTS: usize = 471;
    const MONTHS: usize = 29;
    const CHANNELS: [&str; 10] =
        ["phone", "phone", "phone", "phone", "phone", "phone", "text-message", "e-mail", "phone", "social-media"];
    const REGIONS: [Option<&str>; 7] =
        [Some("riga"), Some("latgale"), None, Some("kurzeme"), Some("riga"), Some("vidzeme"), Some("zemgale")];
    (0..CONTACTS)
        .map(|i| {
            let mut slot = (i * 13) % CONTACTS;
            let topic = HOTLINE_TOPICS
                .iter()
                .find(|(_, n)| {
                    let here = slot < *n;
                    slot = slot.saturating_sub(*n);
                    here
                })
                .map_or("other", |(t, _)| t);
            let month = 7 + i * MONTHS / CONTACTS;
            let date = format!("{}-{:02}-{:02}", 2013 + month / 12, month % 12 + 1, 1 + (i * 7) % 28);
            json!({"date": date, "time": format!("{:02}:{:02}", 8 + (i * 5) % 15, (i * 17) % 60),
                "channel": CHANNELS[i % CHANNELS.len()], "topic": topic, "region": REGIONS[i % REGIONS.len()]})
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use saite_domain::ManualClock;

    use super::*;
    use crate::{ListFilter, ListQuery, key::KdfParams};

    #[test]
    fn demo_data_loads_once_and_carries_the_seed_figures() {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::at(1_700_000_000_000));
        let mut s = Store::initialize(dir.path(), "p", KdfParams::FAST_FOR_TESTS, clock, "demo").unwrap();
        let first = s.load_demo_data().unwrap();
        assert!(first.records > 100, "{first:?}");
        assert_eq!(s.load_demo_data().unwrap(), DemoSummary { records: 0, already_loaded: true });

        // Riga's municipal employees trained per year: 60, 60, 95, 81, 115 (411).
        let mut per_year = Vec::new();
        for year in 2010..=2014 {
            let page = s
                .list(&ListQuery {
                    collection: Collection::Seminar,
                    filters: vec![
                        ListFilter::Year { year },
                        ListFilter::FieldEquals { field: "kind".into(), value: "training".into() },
                    ],
                    sort: None,
                    descending: false,
                    offset: 0,
                    limit: 50,
                    with_total: false,
                })
                .unwrap();
            let total: i64 = page
                .items
                .iter()
                .flat_map(|r| {
                    r.document["participants"]
                        .as_object()
                        .unwrap()
                        .values()
                        .map(|v| v.as_i64().unwrap())
                        .collect::<Vec<_>>()
                })
                .sum();
            per_year.push(total);
        }
        assert_eq!(per_year, vec![60, 60, 95, 81, 115]);

        let banners = s
            .list(&ListQuery {
                collection: Collection::Organisation,
                filters: vec![ListFilter::FieldEquals { field: "kind".into(), value: "nva-branch".into() }],
                sort: Some("name".into()),
                descending: false,
                offset: 0,
                limit: 100,
                with_total: true,
            })
            .unwrap();
        assert_eq!(banners.total, Some(28), "28 NVA branches");
        let hotline = hotline_contacts();
        assert_eq!(hotline.len(), 471);
        for (topic, n) in HOTLINE_TOPICS {
            assert_eq!(hotline.iter().filter(|c| c["topic"] == topic).count(), n, "{topic}");
        }
        let dates: Vec<&str> = hotline.iter().map(|c| c["date"].as_str().unwrap()).collect();
        assert_eq!(
            (dates.iter().min().unwrap()[..7].to_owned(), dates.iter().max().unwrap()[..7].to_owned()),
            ("2013-08".into(), "2015-12".into())
        );
        let by_topic = s
            .report(&crate::ReportQuery {
                figure: crate::ReportFigure::Hotline,
                by: crate::ReportDimension::Topic,
                filters: vec![],
            })
            .unwrap();
        assert_eq!(by_topic.total, [471], "471 contacts in 29 months");
        let rows: Vec<(Option<&str>, u64)> = by_topic.rows.iter().map(|r| (r.key.as_deref(), r.values[0])).collect();
        assert_eq!(rows, HOTLINE_TOPICS.map(|(t, n)| (Some(t), n as u64)));
        assert!(!s.search("drosa maja", 5).unwrap().is_empty());
        assert!(!s.search("Даугавпилс", 5).unwrap().is_empty());
    }
}
