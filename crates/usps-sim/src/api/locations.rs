//! Locations v3: drop-off (destination entry) facilities for a ZIP Code, Post Office locations
//! near an address, city, ZIP Code or coordinates, and Parcel Lockers in a city or ZIP Code.
//!
//! The simulator has no facility database. Around each place `geo` knows (a named city, or the
//! nearest named city of a ZIP Code's state) it generates a fixed set of facilities from the
//! scenario seed: the same query always gets the same answer, distances are real great-circle
//! distances from the place searched, and filters (services, hours, radius, locker size) and
//! pagination apply to that set as USPS's would. A place `geo` cannot put on the map answers
//! 160033, as USPS does for an address it cannot geocode (docs/usps.md#locations).

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

use super::Api;
use super::geo;
use crate::Shared;
use crate::auth::guard::authorize;
use crate::errors::{ApiError, ErrorItem};
use crate::ids::seeded;
use crate::rules::{self, DROPOFF_LOCATIONS, Operation, PARCEL_LOCKERS, POST_OFFICES};

const V: &str = "/locations/v3";

/// Coordinates of the ZIP Codes `geo` names (their post office, roughly).
const COORDINATES: &[(&str, f64, f64)] = &[
    ("02108", 42.3588, -71.0638),
    ("10001", 40.7506, -73.9972),
    ("19103", 39.9522, -75.1740),
    ("20007", 38.9140, -77.0700),
    ("20500", 38.8977, -77.0365),
    ("23227", 37.6110, -77.4330),
    ("27601", 35.7730, -78.6340),
    ("28202", 35.2270, -80.8430),
    ("30022", 34.0290, -84.2400),
    ("30303", 33.7530, -84.3900),
    ("32801", 28.5420, -81.3750),
    ("33101", 25.7790, -80.1980),
    ("37203", 36.1500, -86.7900),
    ("43215", 39.9670, -83.0060),
    ("46204", 39.7710, -86.1570),
    ("48226", 42.3310, -83.0480),
    ("52404", 41.9500, -91.6800),
    ("53202", 43.0500, -87.8950),
    ("55401", 44.9830, -93.2700),
    ("60647", 41.9210, -87.7010),
    ("63116", 38.5810, -90.2640),
    ("63118", 38.5940, -90.2300),
    ("64105", 39.1030, -94.5880),
    ("70112", 29.9570, -90.0760),
    ("78701", 30.2710, -97.7430),
    ("75201", 32.7880, -96.7990),
    ("80202", 39.7520, -104.9990),
    ("84101", 40.7560, -111.9000),
    ("85004", 33.4510, -112.0690),
    ("89101", 36.1720, -115.1220),
    ("90210", 34.0900, -118.4060),
    ("94043", 37.4190, -122.0570),
    ("94105", 37.7890, -122.3940),
    ("96813", 21.3110, -157.8580),
    ("97201", 45.5080, -122.6900),
    ("98101", 47.6100, -122.3340),
    ("99501", 61.2160, -149.8770),
];

/// Coordinates searched further than this from every known place cannot be geocoded.
const GEOCODE_REACH_MILES: f64 = 150.0;
/// Facilities generated around a place.
const FACILITIES_PER_PLACE: u64 = 12;

const POST_OFFICE_TYPES: &[&str] = &[
    "CONTRACT_POSTAL_UNIT",
    "POST_OFFICE",
    "SELF_SERVICE_KIOSK",
    "VILLAGE_POST_OFFICE",
];
/// The service filters of the post-office search: parameter and the values it takes.
const SERVICE_FILTERS: &[(&str, &[&str])] = &[
    (
        "mailingService",
        &[
            "CARRIER_SERVICES",
            "GENERAL_DELIVERY",
            "GLOBAL_EXPRESS_GUARANTEED",
            "LABEL_BROKER",
            "LABEL_BROKER_SELF-SERVICE_KIOSK",
            "PRIORITY_MAIL_INTERNATIONAL",
            "PO_BOX",
            "SELF-SERVICE_KIOSK",
            "USPS_CONNECT_LOCAL",
        ],
    ),
    (
        "businessService",
        &[
            "BULK_MAIL_ACCEPTANCE",
            "BUSINESS_REPLY_MAIL_ACCOUNT_BALANCE",
            "BULK_MAIL_ACCOUNT_BALANCE",
            "BULK_MAIL_NEW_PERMIT",
            "BUSINESS_REPLY_MAIL_NEW_PERMIT",
            "CALL_REFERRAL",
        ],
    ),
    (
        "passportService",
        &["PASSPORT_APPOINTMENT", "PASSPORT_PHOTO", "PASSPORT_WALK-IN"],
    ),
    (
        "pickupService",
        &[
            "PICKUP_ACCOUNTABLE_MAIL",
            "PICKUP_HOLD_MAIL",
            "PICKUP_NOTICE_LEFT_MAIL",
            "PICKUP_PARCEL_LOCKER",
            "HOLD_FOR_PICKUP",
        ],
    ),
    (
        "financialService",
        &[
            "BURIAL_FLAG",
            "DUCK_STAMP",
            "GIFT_CARDS",
            "GREETING_CARDS",
            "MONEY_ORDER_DOMESTIC",
            "MONEY_ORDER_INQUIRY",
        ],
    ),
];
const HOURS: &[&str] = &[
    "WEEKDAY_AFTER_5",
    "SATURDAY_HOURS",
    "SUNDAY_HOURS",
    "24-HOUR_FACILITIES",
];
const STREETS: &[&str] = &[
    "MAIN ST",
    "MARKET ST",
    "OAK AVE",
    "PARK BLVD",
    "CENTER ST",
    "WASHINGTON AVE",
    "LINCOLN WAY",
    "ELM ST",
    "BROADWAY",
    "HIGHLAND AVE",
    "RIVER RD",
    "MAPLE DR",
];
const DAYS: &[&str] = &[
    "MONDAY",
    "TUESDAY",
    "WEDNESDAY",
    "THURSDAY",
    "FRIDAY",
    "SATURDAY",
    "SUNDAY",
];

/// A place on the map: the ZIP Code, city and state it stands for, and its coordinates.
#[derive(Debug, Clone)]
struct Place {
    zip: String,
    city: &'static str,
    state: &'static str,
    lat: f64,
    long: f64,
}

fn coordinates_of(zip: &str) -> Option<(f64, f64)> {
    COORDINATES
        .iter()
        .find(|(z, _, _)| *z == zip)
        .map(|(_, lat, long)| (*lat, *long))
}

/// A ZIP Code's place: its own coordinates when known, else those of the city `geo` gives it.
fn place_of_zip(zip: &str) -> Option<Place> {
    let (city, state) = geo::city_state(zip)?;
    let (lat, long) =
        coordinates_of(zip).or_else(|| coordinates_of(geo::zip_of_city(city, state)?))?;
    Some(Place {
        zip: zip.to_string(),
        city,
        state,
        lat,
        long,
    })
}

/// Great-circle distance in statute miles.
fn miles(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 3958.8 * h.sqrt().min(1.0).asin()
}

fn nearest_place(lat: f64, long: f64) -> Option<Place> {
    let (zip, _, _) = COORDINATES
        .iter()
        .min_by(|a, b| miles((lat, long), (a.1, a.2)).total_cmp(&miles((lat, long), (b.1, b.2))))?;
    let place = place_of_zip(zip)?;
    (miles((lat, long), (place.lat, place.long)) <= GEOCODE_REACH_MILES).then_some(Place {
        lat,
        long,
        ..place
    })
}

fn no_geocode() -> ApiError {
    ApiError::bad_request(
        V,
        vec![ErrorItem::coded(
            "160033",
            "No geocode candidates found for requested address",
            "address",
        )],
    )
}

fn time_zone(state: &str) -> (&'static str, bool) {
    match state {
        "HI" => ("HST", false),
        "AK" => ("AKST", true),
        "AZ" => ("MST", false),
        "CA" | "NV" | "OR" | "WA" => ("PST", true),
        "CO" | "ID" | "MT" | "NM" | "UT" | "WY" => ("MST", true),
        "AL" | "AR" | "IA" | "IL" | "KS" | "LA" | "MN" | "MO" | "MS" | "ND" | "NE" | "OK"
        | "SD" | "TN" | "TX" | "WI" => ("CST", true),
        "PR" | "VI" => ("AST", false),
        _ => ("EST", true),
    }
}

/// One generated facility near a place.
#[derive(Debug, Clone)]
struct Facility {
    id: String,
    name: String,
    street: String,
    zip: String,
    plus4: String,
    lat: f64,
    long: f64,
    distance: f64,
    kind: &'static str,
    services: Vec<&'static str>,
    weekday_close: &'static str,
    saturday: bool,
    sunday: bool,
    always_open: bool,
    phone: String,
    /// Largest parcel its lockers take (length, width, height), if it has lockers.
    locker: Option<(f64, f64, f64)>,
}

fn facilities(seed: u64, place: &Place) -> Vec<Facility> {
    let mut out: Vec<Facility> = (0..FACILITIES_PER_PLACE)
        .map(|i| {
            let pick = |what: &str, modulus: u64| {
                seeded(seed, &format!("location/{}/{i}/{what}", place.zip), modulus)
            };
            let bearing = (pick("bearing", 360) as f64).to_radians();
            // Up to about 15 miles away, the first one close by.
            let reach = if i == 0 {
                0.4
            } else {
                0.5 + pick("reach", 145) as f64 / 10.0
            };
            let lat = place.lat + reach / 69.0 * bearing.cos();
            let long = place.long + reach / (69.0 * place.lat.to_radians().cos()) * bearing.sin();
            let kind = if i == 0 {
                "POST_OFFICE"
            } else {
                POST_OFFICE_TYPES[pick("type", POST_OFFICE_TYPES.len() as u64) as usize]
            };
            let mut services = Vec::new();
            for (_, values) in SERVICE_FILTERS {
                for v in values.iter() {
                    if i == 0 || pick(v, 3) > 0 {
                        services.push(*v);
                    }
                }
            }
            let always_open = kind == "SELF_SERVICE_KIOSK";
            let locker = services.contains(&"PICKUP_PARCEL_LOCKER").then(|| {
                (
                    15.0 + pick("lockerL", 10) as f64,
                    12.0 + pick("lockerW", 8) as f64,
                    10.0 + pick("lockerH", 8) as f64,
                )
            });
            let street = format!(
                "{} {}",
                100 + pick("house", 9800),
                STREETS[pick("street", STREETS.len() as u64) as usize]
            );
            let suffix = match kind {
                "POST_OFFICE" => "POST OFFICE",
                "CONTRACT_POSTAL_UNIT" => "CONTRACT POSTAL UNIT",
                "SELF_SERVICE_KIOSK" => "SELF-SERVICE KIOSK",
                _ => "VILLAGE POST OFFICE",
            };
            Facility {
                id: format!("{:07}", 1_000_000 + pick("id", 8_999_999)),
                name: if i == 0 {
                    format!("{} {suffix}", place.city)
                } else {
                    format!(
                        "{} {} {suffix}",
                        place.city,
                        street.split(' ').nth(1).unwrap_or("MAIN")
                    )
                },
                street,
                zip: place.zip.clone(),
                plus4: format!("{:04}", 1000 + pick("plus4", 9000)),
                lat: (lat * 1e6).round() / 1e6,
                long: (long * 1e6).round() / 1e6,
                distance: 0.0,
                kind,
                services,
                weekday_close: ["17:00", "18:00", "19:30"][pick("close", 3) as usize],
                saturday: i == 0 || pick("saturday", 4) > 0,
                sunday: pick("sunday", 4) == 0,
                always_open,
                phone: format!("{}555{:04}", 200 + pick("area", 700), pick("line", 10_000)),
                locker,
            }
        })
        .collect();
    for f in &mut out {
        f.distance = (miles((place.lat, place.long), (f.lat, f.long)) * 100.0).round() / 100.0;
    }
    out.sort_by(|a, b| a.distance.total_cmp(&b.distance));
    out
}

fn hours_json(f: &Facility) -> Vec<Value> {
    DAYS.iter()
        .filter_map(|day| {
            let (open, close) = if f.always_open {
                ("00:00", "23:59")
            } else {
                match *day {
                    "SATURDAY" if f.saturday => ("09:00", "13:00"),
                    "SUNDAY" if f.sunday => ("11:00", "15:00"),
                    "SATURDAY" | "SUNDAY" => return None,
                    _ => ("08:30", f.weekday_close),
                }
            };
            Some(json!({ "dayOfWeek": day, "times": [{ "openTime": open, "closeTime": close }] }))
        })
        .collect()
}

fn address_json(f: &Facility, place: &Place) -> Value {
    json!({
        "streetAddress": f.street,
        "city": place.city,
        "state": place.state,
        "ZIPCode": f.zip,
        "ZIPPlus4": f.plus4,
    })
}

/// Query parameters checked with the limits `rules` gives the operation.
struct Params<'q> {
    q: &'q HashMap<String, String>,
    operation: Operation,
    errors: Vec<ErrorItem>,
}

impl<'q> Params<'q> {
    fn new(q: &'q HashMap<String, String>, operation: Operation) -> Self {
        Params {
            q,
            operation,
            errors: Vec::new(),
        }
    }

    fn text(&mut self, name: &str) -> Option<&'q str> {
        let v = self
            .q
            .get(name)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())?;
        match rules::broken_text(self.operation, name, v) {
            None => Some(v),
            Some(why) => {
                self.errors.push(ErrorItem::field(why, name));
                None
            }
        }
    }

    fn number(&mut self, name: &str) -> Option<f64> {
        let raw = self
            .q
            .get(name)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())?;
        let Some(n) = raw.parse::<f64>().ok().filter(|n| n.is_finite()) else {
            self.errors
                .push(ErrorItem::field(format!("{name} must be a number."), name));
            return None;
        };
        match rules::broken_number(self.operation, name, n) {
            None => Some(n),
            Some(why) => {
                self.errors.push(ErrorItem::field(why, name));
                None
            }
        }
    }

    fn whole(&mut self, name: &str) -> Option<u64> {
        let n = self.number(name)?;
        if n.fract() == 0.0 && n >= 0.0 {
            Some(n as u64)
        } else {
            self.errors
                .push(ErrorItem::field("must be a whole number", name));
            None
        }
    }

    fn one_of(&mut self, name: &str, allowed: &[&'static str]) -> Option<&'static str> {
        let v = self
            .q
            .get(name)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())?;
        match allowed.iter().find(|a| **a == v) {
            Some(a) => Some(*a),
            None => {
                self.errors.push(ErrorItem::field(
                    format!("{name} must be one of: {}.", allowed.join(", ")),
                    name,
                ));
                None
            }
        }
    }

    /// A comma-separated list (`style: form, explode: false`) of allowed values.
    fn list(&mut self, name: &str, allowed: &[&'static str]) -> Vec<&'static str> {
        let Some(raw) = self.q.get(name).filter(|s| !s.trim().is_empty()) else {
            return vec![];
        };
        let mut out = Vec::new();
        for item in raw.split(',').map(str::trim) {
            match allowed.iter().find(|a| **a == item) {
                Some(a) => out.push(*a),
                None => self.errors.push(ErrorItem::field(
                    format!("{name} values must be among: {}.", allowed.join(", ")),
                    name,
                )),
            }
        }
        out
    }

    fn date(&mut self, name: &str) {
        if let Some(d) = self.q.get(name).filter(|s| !s.is_empty())
            && time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]"))
                .is_err()
        {
            self.errors.push(ErrorItem::field(
                format!("{name} must be a date (YYYY-MM-DD)."),
                name,
            ));
        }
    }

    fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::bad_request(V, self.errors))
        }
    }
}

fn answer(result: Result<Value, ApiError>) -> Response {
    match result {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

/// Which one locator a post-office search gives, resolved to a place.
fn post_office_place(p: &mut Params, seed: u64) -> Result<Option<Place>, ApiError> {
    let street =
        p.q.get("streetAddress")
            .is_some_and(|s| !s.trim().is_empty());
    let city = p.q.get("city").map(|s| s.trim()).filter(|s| !s.is_empty());
    let state = p.text("state");
    let zip = p.text("ZIPCode");
    p.text("ZIPPlus4");
    let lat = p.number("LAT");
    let long = p.number("LONG");
    if !p.errors.is_empty() {
        return Ok(None);
    }
    let city_state = city.is_some() && state.is_some();
    let coordinates = lat.is_some() && long.is_some();
    let locators = if street {
        usize::from(city_state || zip.is_some()) + usize::from(coordinates)
    } else {
        usize::from(city_state) + usize::from(zip.is_some()) + usize::from(coordinates)
    };
    let parameter = "streetAddress/secondaryAddress/city/state/ZIPCode/ZIPPlus4/LAT/LONG";
    if locators == 0 {
        return Err(ApiError::bad_request(
            V,
            vec![ErrorItem::coded(
                "160171",
                "one of a complete domestic address, city & state, ZIPCode, or LAT & LONG is required",
                parameter,
            )],
        ));
    }
    if locators > 1 {
        return Err(ApiError::bad_request(
            V,
            vec![ErrorItem::coded(
                "160230",
                "only one of a complete domestic address, city & state, ZIPCode, or LAT & LONG is required",
                parameter,
            )],
        ));
    }
    if let (Some(lat), Some(long)) = (lat, long) {
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&long) {
            return Err(no_geocode());
        }
        return nearest_place(lat, long).map(Some).ok_or_else(no_geocode);
    }
    let zip = match (zip, city, state) {
        (Some(zip), _, _) => {
            if street {
                let secondary = p.q.get("secondaryAddress").map_or("", |s| s.as_str());
                let street_line = p.q.get("streetAddress").map_or("", |s| s.as_str());
                let state = geo::state_of(zip).unwrap_or_default();
                super::addresses::resolve(
                    seed,
                    street_line,
                    secondary,
                    city.unwrap_or(""),
                    state,
                    zip,
                )
                .map_err(|_| no_geocode())?;
            }
            zip.to_string()
        }
        (None, Some(city), Some(state)) => geo::zip_of_city(city, state)
            .ok_or_else(no_geocode)?
            .to_string(),
        _ => return Err(no_geocode()),
    };
    place_of_zip(&zip).map(Some).ok_or_else(no_geocode)
}

pub async fn post_offices(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let result = (|| {
        authorize(&shared, &headers, Api::Locations)?;
        let seed = shared.lock().scenario.seed;
        let mut p = Params::new(&q, POST_OFFICES);
        let place = post_office_place(&mut p, seed)?;
        let types = p.list("postOfficeType", POST_OFFICE_TYPES);
        let mut wanted: Vec<&'static str> = Vec::new();
        for (name, values) in SERVICE_FILTERS {
            wanted.extend(p.list(name, values));
        }
        let hours = p.one_of("hours", HOURS);
        let radius = p.whole("radius").unwrap_or(20) as f64;
        let size = (p.number("length"), p.number("width"), p.number("height"));
        let offset = p.whole("offset").unwrap_or(0) as usize;
        let limit = p.whole("limit").unwrap_or(20) as usize;
        if wanted.contains(&"PICKUP_PARCEL_LOCKER") && !matches!(size, (Some(_), Some(_), Some(_)))
        {
            p.errors.push(ErrorItem::coded(
                "160231",
                "'PICKUP_PARCEL_LOCKER' service requires dimensions",
                "pickupService",
            ));
        }
        p.finish()?;
        let place = place.ok_or_else(no_geocode)?;
        let fits = |f: &Facility| match (size, f.locker) {
            ((Some(l), Some(w), Some(h)), Some(max))
                if wanted.contains(&"PICKUP_PARCEL_LOCKER") =>
            {
                let mut parcel = [l, w, h];
                let mut locker = [max.0, max.1, max.2];
                parcel.sort_by(f64::total_cmp);
                locker.sort_by(f64::total_cmp);
                parcel.iter().zip(&locker).all(|(p, m)| p <= m)
            }
            _ => true,
        };
        let open = |f: &Facility| match hours {
            Some("WEEKDAY_AFTER_5") => f.always_open || f.weekday_close > "17:00",
            Some("SATURDAY_HOURS") => f.always_open || f.saturday,
            Some("SUNDAY_HOURS") => f.always_open || f.sunday,
            Some(_) => f.always_open,
            None => true,
        };
        let matching: Vec<Facility> = facilities(seed, &place)
            .into_iter()
            .filter(|f| f.distance <= radius)
            .filter(|f| types.is_empty() || types.contains(&f.kind))
            .filter(|f| wanted.iter().all(|w| f.services.contains(w)))
            .filter(|f| open(f) && fits(f))
            .collect();
        let (tz, dst) = time_zone(place.state);
        let page: Vec<Value> = matching
            .iter()
            .skip(offset)
            .take(limit)
            .map(|f| {
                json!({
                    "facilityName": f.name,
                    "facilityAddress": address_json(f, &place),
                    "facilityID": f.id,
                    "geoCoordinates": { "latitude": f.lat, "longitude": f.long },
                    "postOfficeType": f.kind,
                    "distance": f.distance,
                    "phoneNumbers": { "phone": f.phone },
                    "services": std::iter::once(json!({ "service": "RETAIL", "hours": hours_json(f) }))
                        .chain(f.services.iter().map(|s| json!({ "service": s, "hours": hours_json(f) })))
                        .collect::<Vec<_>>(),
                    "temporaryClosure": false,
                    "parking": if f.kind == "POST_OFFICE" { "LOT" } else { "STREET" },
                    "timeZone": tz,
                    "DSTObserved": dst,
                })
            })
            .collect();
        let total = matching.len();
        Ok(json!({
            "locations": page,
            "metadata": {
                "totalCount": total,
                "limit": limit,
                "offset": offset,
                "page": offset / limit + 1,
                "totalPages": total.div_ceil(limit),
            },
        }))
    })();
    answer(result)
}

pub async fn parcel_lockers(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let result = (|| {
        authorize(&shared, &headers, Api::Locations)?;
        let seed = shared.lock().scenario.seed;
        let mut p = Params::new(&q, PARCEL_LOCKERS);
        let city = p.text("city");
        let state = p.text("state");
        let zip = p.text("ZIPCode");
        let offset = p.whole("offset").unwrap_or(0) as usize;
        let limit = p.whole("limit").unwrap_or(30) as usize;
        p.finish()?;
        let from_city = match (city, state) {
            (Some(city), Some(state)) => {
                Some(geo::zip_of_city(city, state).ok_or_else(no_geocode)?)
            }
            _ => None,
        };
        let zip = match (zip, from_city) {
            (Some(zip), Some(city_zip)) if geo::state_of(zip) != geo::state_of(city_zip) => {
                return Err(no_geocode());
            }
            (Some(zip), _) => zip,
            (None, Some(city_zip)) => city_zip,
            (None, None) => {
                return Err(ApiError::bad_request(
                    V,
                    vec![ErrorItem::coded(
                        "160171",
                        "one of city & state, or ZIPCode is required",
                        "city/state/ZIPCode",
                    )],
                ));
            }
        };
        let place = place_of_zip(zip).ok_or_else(no_geocode)?;
        let lockers: Vec<Value> = facilities(seed, &place)
            .iter()
            .filter_map(|f| f.locker.map(|size| (f, size)))
            .skip(offset)
            .take(limit)
            .map(|(f, (l, w, h))| {
                json!({
                    "facilityID": f.id,
                    "locationName": format!("{} PARCEL LOCKER", f.name),
                    "locationAddress": address_json(f, &place),
                    "latitude": f.lat,
                    "longitude": f.long,
                    "deliveryAddress": address_json(f, &place),
                    "deliveryPoint": f.plus4[2..].to_string(),
                    "lockerStatus": "ACTIVE",
                    "lockerOnline": true,
                    "lockerSizeMaximumLength": l,
                    "lockerSizeMaximumWidth": w,
                    "lockerSizeMaximumHeight": h,
                    "serviceDirectShip": true,
                    "serviceRedelivery": true,
                    "servicePOBoxOverflow": f.kind == "POST_OFFICE",
                    "servicePrepaidReturns": true,
                    "serviceLabelPrinting": f.services.contains(&"LABEL_BROKER"),
                })
            })
            .collect();
        Ok(Value::Array(lockers))
    })();
    answer(result)
}

const DROPOFF_CLASSES: &[&str] = &[
    "PARCEL_SELECT",
    "PARCEL_SELECT_LIGHTWEIGHT",
    "USPS_CONNECT_LOCAL",
    "USPS_CONNECT_MAIL",
    "USPS_CONNECT_REGIONAL",
    "LIBRARY_MAIL",
    "MEDIA_MAIL",
    "BOUND_PRINTED_MATTER",
];
const DROPOFF_CATEGORIES: &[&str] = &[
    "FLATS",
    "MACHINABLE",
    "IRREGULAR",
    "NON_MACHINABLE",
    "NONSTANDARD",
];
const DROPOFF_FACILITIES: &[(&str, &str, &str)] = &[
    ("DESTINATION_DELIVERY_UNIT", "DDU", "POST OFFICE"),
    ("DESTINATION_SECTIONAL_CENTER_FACILITY", "SCF", "P&DC"),
    ("DESTINATION_NETWORK_DISTRIBUTION_CENTER", "NDC", "NDC"),
    (
        "DESTINATION_REGIONAL_PROCESSING_DISTRIBUTION_CENTER",
        "RPDC",
        "RPDC",
    ),
    ("DESTINATION_SERVICE_HUB", "DSH", "SERVICE HUB"),
];
const PALLETIZED: &[&str] = &["PALLETIZED", "NON_PALLETIZED", "BOTH"];

pub async fn dropoff(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let result = (|| {
        authorize(&shared, &headers, Api::Locations)?;
        let seed = shared.lock().scenario.seed;
        let mut p = Params::new(&q, DROPOFF_LOCATIONS);
        let zip = p.text("destinationZIPCode");
        if zip.is_none() && p.errors.is_empty() {
            p.errors.push(ErrorItem::field(
                "destinationZIPCode is required.",
                "destinationZIPCode",
            ));
        }
        p.text("destinationZIPPlus4");
        let class = p.one_of("mailClass", DROPOFF_CLASSES);
        let category = p.one_of("processingCategory", DROPOFF_CATEGORIES);
        let def_names: Vec<&'static str> = DROPOFF_FACILITIES.iter().map(|d| d.0).collect();
        let def = p.one_of("destinationEntryFacilityType", &def_names);
        let palletized = p.one_of("palletized", PALLETIZED);
        p.date("mailingDate");
        p.finish()?;
        let zip = zip.unwrap_or_default();
        let Some(place) = place_of_zip(zip) else {
            return Ok(json!([]));
        };
        let (tz, dst) = time_zone(place.state);
        let mut out = Vec::new();
        for (kind, short, suffix) in DROPOFF_FACILITIES {
            if def.is_some_and(|d| d != *kind) {
                continue;
            }
            // USPS Connect products are entered at the delivery unit only.
            let classes: Vec<&str> = DROPOFF_CLASSES
                .iter()
                .copied()
                .filter(|c| *kind == "DESTINATION_DELIVERY_UNIT" || !c.starts_with("USPS_CONNECT"))
                .filter(|c| class.is_none_or(|want| want == *c))
                .collect();
            let pallet = if *kind == "DESTINATION_DELIVERY_UNIT" {
                "NON_PALLETIZED"
            } else {
                "BOTH"
            };
            if classes.is_empty()
                || palletized.is_some_and(|want| want != pallet && pallet != "BOTH")
            {
                continue;
            }
            let accepted: Vec<Value> = classes
                .iter()
                .flat_map(|c| {
                    DROPOFF_CATEGORIES
                        .iter()
                        .filter(|pc| category.is_none_or(|want| want == **pc))
                        .map(move |pc| json!({ "mailClass": c, "processingCategory": pc, "palletized": pallet }))
                })
                .collect();
            let pick = |what: &str, modulus: u64| {
                seeded(seed, &format!("dropoff/{zip}/{short}/{what}"), modulus)
            };
            let facility_zip = if *kind == "DESTINATION_DELIVERY_UNIT" {
                zip.to_string()
            } else {
                format!("{}{:02}", &zip[..3], pick("zip", 100))
            };
            out.push(json!({
                "dropShipmentKey": format!("{short}{zip}{:04}", pick("key", 10_000)),
                "facilityName": format!("{} {suffix}", place.city),
                "facilityAddress": { "address": {
                    "streetAddress": format!("{} {}", 100 + pick("house", 9800), STREETS[pick("street", STREETS.len() as u64) as usize]),
                    "city": place.city,
                    "state": place.state,
                    "ZIPCode": facility_zip,
                    "ZIPPlus4": format!("{:04}", 1000 + pick("plus4", 9000)),
                }},
                "dropSitePhoneNumber": format!("{}555{:04}", 200 + pick("area", 700), pick("line", 10_000)),
                "destinationZIPCode": zip,
                "destinationEntryFacilityType": kind,
                "acceptedPackageTypes": accepted,
                "dropShipAcceptanceTimes": DAYS[..6].iter().map(|d| json!({
                    "dayOfWeek": d,
                    "times": [{ "openTime": "06:00", "closeTime": if *d == "SATURDAY" { "12:00" } else { "15:00" } }],
                })).collect::<Vec<_>>(),
                "timeZone": tz,
                "DSTObserved": dst,
            }));
        }
        Ok(Value::Array(out))
    })();
    answer(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_are_great_circle_miles() {
        let stl = coordinates_of("63116").unwrap();
        let kc = coordinates_of("64105").unwrap();
        let d = miles(stl, kc);
        assert!((230.0..250.0).contains(&d), "{d}");
    }

    #[test]
    fn places_and_facilities_are_stable() {
        let place = place_of_zip("63118").unwrap();
        assert_eq!(place.city, "SAINT LOUIS");
        let a = facilities(7, &place);
        let b = facilities(7, &place);
        assert_eq!(a.len(), FACILITIES_PER_PLACE as usize);
        assert_eq!(a[0].id, b[0].id);
        assert!(a.windows(2).all(|w| w[0].distance <= w[1].distance));
        assert!(nearest_place(38.6, -90.2).is_some());
        assert!(nearest_place(0.0, 0.0).is_none());
    }
}
