//! Request values generated from the specs' schemas (as `schema.rs` converts them: draft 4,
//! `$ref`s inlined), for the schema-driven fuzzer in `tests/schema_fuzz.rs`.
//!
//! [`Generator::valid`] builds an instance the schema accepts: required members always, optional
//! ones at random, enums, numbers within their bounds, strings from the schema's `pattern`
//! (through proptest's regex strategy), `format` or `example`, lengths within bounds.
//! [`Generator::mutate`] then breaks one spot of such an instance the way a careless or hostile
//! client would: a wrong type, a number out of range or not finite, a string too long, too short,
//! off its pattern or in another script, a missing required member, an unknown member, a value
//! outside its enum, a `null`.
//!
//! Everything is drawn from one seeded ChaCha generator per case, so a case is reproduced from
//! its seed alone.

use proptest::prelude::Rng;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Map, Value, json};
use std::borrow::Cow;

/// Stands for a number JSON cannot carry; the sender writes [`NON_FINITE_TEXT`] in its place.
pub const NON_FINITE: &str = "\u{1}non-finite\u{1}";
/// What replaces [`NON_FINITE`] in a JSON body: a double overflow, as USPS would receive it.
pub const NON_FINITE_TEXT: &str = "1e999";

/// Nesting beyond which optional members are left out, so recursive shapes stay small.
const DEEP: usize = 6;

pub struct Generator {
    runner: TestRunner,
    today: time::Date,
}

/// One place in an instance (a path of member names and indexes) and the schema that governs it.
#[derive(Clone)]
struct Site {
    path: Vec<Step>,
    schema: Value,
}

#[derive(Clone)]
enum Step {
    Member(String),
    Index(usize),
}

impl Generator {
    /// The generator for case `case` of the stream `stream` (an operation) under `seed`.
    pub fn new(seed: u64, stream: &str, case: u64) -> Generator {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        bytes[8..16].copy_from_slice(&case.to_le_bytes());
        // FNV-1a of the stream name: stable across runs and platforms.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in stream.bytes() {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        bytes[16..24].copy_from_slice(&hash.to_le_bytes());
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
        Generator {
            runner: TestRunner::new_with_rng(Config::default(), rng),
            today: time::OffsetDateTime::now_utc().date(),
        }
    }

    /// 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.runner.rng().next_u64() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.runner.rng().next_u64() % 100 < percent
    }

    fn unit(&mut self) -> f64 {
        (self.runner.rng().next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An instance the schema accepts (best effort: the caller validates it).
    pub fn valid(&mut self, schema: &Value) -> Value {
        self.value(schema, 0)
    }

    fn value(&mut self, schema: &Value, depth: usize) -> Value {
        let schema = &merged(schema);
        if let Some(example) = schema.get("example")
            && !example.is_null()
            && self.chance(35)
        {
            return example.clone();
        }
        if let Some(Value::Array(options)) = schema.get("enum") {
            let options: Vec<&Value> = options.iter().filter(|v| !v.is_null()).collect();
            if !options.is_empty() {
                return (*self.pick(&options)).clone();
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(alternatives)) = schema.get(key)
                && !alternatives.is_empty()
            {
                let alternative = self.pick(alternatives).clone();
                return self.value(&merge(schema, &alternative, key), depth);
            }
        }
        match type_of(schema).as_str() {
            "object" => self.object(schema, depth),
            "array" => {
                let min = bound(schema, "minItems").unwrap_or(0.0) as usize;
                let max = bound(schema, "maxItems").map_or(min + 2, |m| m as usize);
                let len = min + self.below(max.saturating_sub(min).min(3) + 1);
                let items = schema.get("items").cloned().unwrap_or(json!({}));
                Value::Array((0..len).map(|_| self.value(&items, depth + 1)).collect())
            }
            "integer" => json!(self.number(schema, true) as i64),
            "number" => {
                let n = self.number(schema, false);
                json!((n * 100.0).round() / 100.0)
            }
            "boolean" => json!(self.chance(50)),
            "null" => Value::Null,
            _ => json!(self.string(schema)),
        }
    }

    fn object(&mut self, schema: &Value, depth: usize) -> Value {
        let mut out = Map::new();
        let required = names(schema.get("required"));
        if let Some(Value::Object(props)) = schema.get("properties") {
            for (name, sub) in props {
                let wanted = required.contains(name) || (depth < DEEP && self.chance(50));
                if wanted {
                    out.insert(name.clone(), self.value(sub, depth + 1));
                }
            }
        }
        Value::Object(out)
    }

    fn number(&mut self, schema: &Value, integer: bool) -> f64 {
        let exclusive = |key: &str| schema.get(key) == Some(&Value::Bool(true));
        let step = if integer { 1.0 } else { 0.01 };
        let mut lo = bound(schema, "minimum").unwrap_or(0.0);
        let mut hi = bound(schema, "maximum").unwrap_or(lo.max(0.0) + 100.0);
        if exclusive("exclusiveMinimum") {
            lo += step;
        }
        if exclusive("exclusiveMaximum") {
            hi -= step;
        }
        if integer {
            lo = lo.ceil();
            hi = hi.floor();
        }
        let hi = hi.max(lo).min(lo + 1e6);
        // Edges often: that is where off-by-one rules live.
        let n = match self.below(5) {
            0 => lo,
            1 => hi,
            _ => lo + (hi - lo) * self.unit(),
        };
        if integer { n.round().clamp(lo, hi) } else { n }
    }

    fn string(&mut self, schema: &Value) -> String {
        let min = bound(schema, "minLength").unwrap_or(0.0) as usize;
        let max = bound(schema, "maxLength").map(|m| m as usize);
        let email = schema.get("format").and_then(Value::as_str) == Some("email")
            || schema
                .get("pattern")
                .and_then(Value::as_str)
                .is_some_and(|p| p.contains('@'));
        if email {
            // The email pattern's nested unbounded repetitions take proptest tens of
            // milliseconds a draw and mostly overshoot `maxLength`.
            return format!("user{}@example.com", self.below(1000));
        }
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
            // A pattern with unbounded repetition may overshoot `maxLength`: a few tries, then
            // the schema's example or its format.
            for _ in 0..3 {
                let Some(s) = self.matching(pattern) else {
                    break;
                };
                let len = s.chars().count();
                if len >= min && max.is_none_or(|m| len <= m) {
                    return s;
                }
            }
        }
        if let Some(Value::String(example)) = schema.get("example") {
            return example.clone();
        }
        match schema.get("format").and_then(Value::as_str) {
            Some("date") => {
                return (self.today + time::Duration::days(self.below(4) as i64)).to_string();
            }
            Some("date-time") => {
                let date = self.today + time::Duration::days(self.below(4) as i64);
                return format!("{date}T{:02}:{:02}:00Z", self.below(24), self.below(60));
            }
            Some("uuid") => {
                let mut b = [0u8; 16];
                self.runner.rng().fill_bytes(&mut b);
                return uuid::Builder::from_random_bytes(b).into_uuid().to_string();
            }
            Some("uri") => return "https://www.example.com/".into(),
            Some("byte") => return "U0hJUERFU0s=".into(),
            _ => {}
        }
        let cap = max.unwrap_or(min.max(24)).min(min.max(24));
        let len = min + self.below(cap.saturating_sub(min) + 1);
        const CHARS: &[u8] = b"ABCDEFGHJKLMNPRSTUVWXYZ abcdefghijkmnopqrstuvwxyz 0123456789";
        let mut s: String = (0..len).map(|_| *self.pick(CHARS) as char).collect();
        if min > 0 && s.trim().is_empty() {
            s = "A".repeat(len);
        }
        s
    }

    /// A string matching `pattern` (ECMA 262 as the spec means it: `\d` and `\w` are ASCII).
    fn matching(&mut self, pattern: &str) -> Option<String> {
        type Compiled = Option<std::rc::Rc<proptest::string::RegexGeneratorStrategy<String>>>;
        thread_local! {
            // Parsing a pattern (the state list is a long alternation) costs more than drawing.
            static COMPILED: std::cell::RefCell<std::collections::HashMap<String, Compiled>> =
                Default::default();
        }
        let strategy = COMPILED.with(|c| {
            c.borrow_mut()
                .entry(pattern.to_string())
                .or_insert_with(|| {
                    let unanchored = unanchor(pattern);
                    proptest::string::string_regex(&format!("(?-u:{unanchored})"))
                        .ok()
                        .or_else(|| proptest::string::string_regex(&unanchored).ok())
                        .map(std::rc::Rc::new)
                })
                .clone()
        })?;
        let tree = strategy.new_tree(&mut self.runner).ok()?;
        Some(tree.current())
    }

    /// Replaces one spot of a valid `instance` with another value generated for it (or leaves
    /// it as is, now and then), so a known-good request is varied without being broken.
    pub fn vary(&mut self, schema: &Value, instance: &mut Value) {
        let mut all = Vec::new();
        sites(schema, instance, &mut Vec::new(), &mut all);
        all.retain(|s| !s.path.is_empty());
        if all.is_empty() || self.chance(30) {
            return;
        }
        let site = self.pick(&all).clone();
        let replacement = self.valid(&site.schema);
        if let Some(spot) = at(instance, &site.path) {
            *spot = replacement;
        }
    }

    /// Breaks one spot of `instance` (generated from `schema`); says what it did, or `None` when
    /// nothing in it can be broken (an empty object without constraints).
    /// A string without a `maxLength` is made `unbounded_len` characters long by "too long".
    pub fn mutate(
        &mut self,
        schema: &Value,
        instance: &mut Value,
        unbounded_len: usize,
    ) -> Option<String> {
        let mut all = Vec::new();
        sites(schema, instance, &mut Vec::new(), &mut all);
        type Applies = fn(&Value) -> bool;
        let kinds: [(&str, Applies); 11] = [
            ("wrong type", |_| true),
            ("null", |s| type_of(s) != "null"),
            ("out of range", |s| {
                matches!(type_of(s).as_str(), "number" | "integer")
            }),
            ("not finite", |s| {
                matches!(type_of(s).as_str(), "number" | "integer")
            }),
            ("too long", |s| type_of(s) == "string"),
            ("too short", |s| {
                bound(s, "minLength").is_some_and(|m| m > 0.0)
            }),
            ("off pattern", |s| {
                s.get("pattern").is_some() || s.get("format").is_some()
            }),
            ("non-Latin text", |s| {
                type_of(s) == "string" && s.get("enum").is_none()
            }),
            ("bad enum", |s| s.get("enum").is_some()),
            ("missing required", |s| !names(s.get("required")).is_empty()),
            ("unknown member", |s| type_of(s) == "object"),
        ];
        let usable: Vec<&(&str, Applies)> = kinds
            .iter()
            .filter(|(_, applies)| all.iter().any(|site| applies(&site.schema)))
            .collect();
        if all.is_empty() || usable.is_empty() {
            return None;
        }
        let (kind, applies) = **self.pick(&usable);
        let candidates: Vec<&Site> = all.iter().filter(|s| applies(&s.schema)).collect();
        let site = (*self.pick(&candidates)).clone();
        let spot = at(instance, &site.path)?;
        let schema = &site.schema;
        let what = match kind {
            "wrong type" => {
                *spot = match type_of(schema).as_str() {
                    "string" => json!(self.below(100_000)),
                    "number" | "integer" => json!("12.5 lb"),
                    "boolean" => json!("yes"),
                    "object" => json!(["member"]),
                    "array" => json!({"item": 1}),
                    _ => json!({"unexpected": true}),
                };
                "wrong type".to_string()
            }
            "null" => {
                *spot = Value::Null;
                "null".into()
            }
            "out of range" => {
                let n = match (bound(schema, "minimum"), bound(schema, "maximum")) {
                    (Some(min), _) if self.chance(60) => {
                        if schema.get("exclusiveMinimum") == Some(&Value::Bool(true)) {
                            min
                        } else {
                            min - 1.0
                        }
                    }
                    (_, Some(max)) => {
                        if schema.get("exclusiveMaximum") == Some(&Value::Bool(true)) {
                            max
                        } else {
                            max + 1.0
                        }
                    }
                    _ => *self.pick(&[-1.0, -1e9, 1e15, 0.0]),
                };
                *spot = json!(n);
                format!("out of range ({n})")
            }
            "not finite" => {
                *spot = json!(NON_FINITE);
                "not finite".into()
            }
            "too long" => {
                let len = bound(schema, "maxLength").map_or(unbounded_len, |m| m as usize + 1);
                let unit = *self.pick(&["A", "9", "é"]);
                *spot = json!(unit.repeat(len));
                format!("too long ({len} characters)")
            }
            "too short" => {
                *spot = json!("");
                "too short (empty)".into()
            }
            "off pattern" => {
                let valid = spot.as_str().unwrap_or("12345").to_string();
                // Multi-byte characters that look like digits or letters, at any position.
                let odd = *self.pick(&["٣", "１", "é", "€", "\u{0}", " ", "-", "𝟗"]);
                let at = self.below(valid.chars().count() + 1);
                let mut broken: String = valid.chars().take(at).collect();
                broken.push_str(odd);
                broken.extend(valid.chars().skip(at + usize::from(self.chance(50))));
                *spot = json!(broken);
                format!("off pattern ({broken:?})")
            }
            "non-Latin text" => {
                let text = *self.pick(&[
                    "東京都千代田区",
                    "Straße 🚚",
                    "Москва",
                    "\u{202e}evil",
                    "a\u{0}b",
                ]);
                *spot = json!(text);
                format!("non-Latin text ({text:?})")
            }
            "bad enum" => {
                *spot = json!("NOT_A_DOCUMENTED_VALUE");
                "bad enum".into()
            }
            "missing required" => {
                let present: Vec<String> = names(schema.get("required"))
                    .into_iter()
                    .filter(|n| spot.get(n).is_some())
                    .collect();
                let object = spot.as_object_mut()?;
                let name = if present.is_empty() {
                    return Some("missing required (already absent)".into());
                } else {
                    self.pick(&present).clone()
                };
                object.remove(&name);
                format!("missing required {name}")
            }
            "unknown member" => {
                spot.as_object_mut()?
                    .insert("unexpectedMember".into(), json!("x"));
                "unknown member".into()
            }
            _ => unreachable!(),
        };
        Some(format!("{what} at {}", describe(&site.path)))
    }
}

/// `allOf` members folded into the schema (their members, required names and bounds), so
/// generation sees one object.
fn merged(schema: &Value) -> Cow<'_, Value> {
    let Some(Value::Array(parts)) = schema.get("allOf") else {
        // Most nodes have no `allOf`: borrowed, as cloning every subtree at every level made
        // generating a label request take half a second.
        return Cow::Borrowed(schema);
    };
    let mut out = schema.clone();
    out.as_object_mut().unwrap().remove("allOf");
    for part in parts {
        out = merge(&out, &merged(part), "allOf");
    }
    Cow::Owned(out)
}

/// `base` with `extra`'s keywords added: properties and required names united, the rest taken
/// from `extra` where `base` has none. `consumed` is removed from the result.
fn merge(base: &Value, extra: &Value, consumed: &str) -> Value {
    let mut out = base.as_object().cloned().unwrap_or_default();
    out.remove(consumed);
    let extra = merged(extra);
    for (k, v) in extra.as_object().into_iter().flatten() {
        match (k.as_str(), out.get_mut(k)) {
            ("properties", Some(Value::Object(mine))) => {
                for (pk, pv) in v.as_object().into_iter().flatten() {
                    // `{}` (any value) is how a closed `allOf` lists a part's member: take
                    // the part's own schema for it.
                    let slot = mine.entry(pk.clone()).or_insert(json!({}));
                    if slot.as_object().is_some_and(Map::is_empty) {
                        *slot = pv.clone();
                    }
                }
            }
            ("required", Some(Value::Array(mine))) => {
                for name in v.as_array().into_iter().flatten() {
                    if !mine.contains(name) {
                        mine.push(name.clone());
                    }
                }
            }
            (_, Some(_)) => {}
            (_, None) => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    Value::Object(out)
}

fn type_of(schema: &Value) -> String {
    match schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null")
            .to_string(),
        _ if schema.get("properties").is_some() => "object".into(),
        _ if schema.get("items").is_some() => "array".into(),
        _ => "string".into(),
    }
}

fn bound(schema: &Value, key: &str) -> Option<f64> {
    schema.get(key).and_then(Value::as_f64)
}

fn names(list: Option<&Value>) -> Vec<String> {
    list.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Every place in `instance` with the schema that governs it.
fn sites(schema: &Value, instance: &Value, path: &mut Vec<Step>, out: &mut Vec<Site>) {
    let schema = merged(schema);
    match instance {
        Value::Object(members) => {
            for (name, value) in members {
                if let Some(sub) = schema["properties"].get(name) {
                    path.push(Step::Member(name.clone()));
                    sites(sub, value, path, out);
                    path.pop();
                }
            }
        }
        Value::Array(items) => {
            if let Some(sub) = schema.get("items") {
                for (i, value) in items.iter().enumerate() {
                    path.push(Step::Index(i));
                    sites(sub, value, path, out);
                    path.pop();
                }
            }
        }
        _ => {}
    }
    out.push(Site {
        path: path.clone(),
        schema: schema.into_owned(),
    });
}

fn at<'a>(instance: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let mut spot = instance;
    for step in path {
        spot = match step {
            Step::Member(name) => spot.get_mut(name)?,
            Step::Index(i) => spot.get_mut(*i)?,
        };
    }
    Some(spot)
}

fn describe(path: &[Step]) -> String {
    if path.is_empty() {
        return "the top".into();
    }
    path.iter()
        .map(|s| match s {
            Step::Member(n) => n.clone(),
            Step::Index(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// A pattern without its `^` / `$` anchors (proptest's regex strategy generates no assertions);
/// the schema's own validation still holds the generated value to the anchored pattern.
fn unanchor(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            '[' => {
                in_class = true;
                out.push(c);
            }
            ']' => {
                in_class = false;
                out.push(c);
            }
            '^' | '$' if !in_class => {}
            _ => out.push(c),
        }
    }
    out
}
