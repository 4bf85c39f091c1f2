//! Countries as people and exports write them: ISO 3166-1 alpha-2 codes (`CA`), alpha-3 codes
//! (`CAN`) and English names (`Canada`, `United Kingdom`, `UK`), each read back to the alpha-2
//! code an [`super::Address`] stores. The table follows the ISO 3166-1 list (as shipped by the
//! `iso-codes` project), with a few everyday names added (`Holland`, `South Korea`, `Russia`).
//!
//! US territories with ISO codes of their own (Puerto Rico, Guam, the US Virgin Islands…) and the
//! freely associated states USPS delivers to as domestic mail are US addresses to Shipdesk:
//! [`us_territory`] says which codes those are.

/// (alpha-2, alpha-3, display name, other names)
type CountryRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

const COUNTRIES: &[CountryRow] = &[
    ("AD", "AND", "Andorra", &["Principality of Andorra"]),
    ("AE", "ARE", "United Arab Emirates", &[]),
    (
        "AF",
        "AFG",
        "Afghanistan",
        &["Islamic Republic of Afghanistan"],
    ),
    ("AG", "ATG", "Antigua and Barbuda", &[]),
    ("AI", "AIA", "Anguilla", &[]),
    ("AL", "ALB", "Albania", &["Republic of Albania"]),
    ("AM", "ARM", "Armenia", &["Republic of Armenia"]),
    ("AO", "AGO", "Angola", &["Republic of Angola"]),
    ("AQ", "ATA", "Antarctica", &[]),
    ("AR", "ARG", "Argentina", &["Argentine Republic"]),
    ("AS", "ASM", "American Samoa", &[]),
    ("AT", "AUT", "Austria", &["Republic of Austria"]),
    ("AU", "AUS", "Australia", &[]),
    ("AW", "ABW", "Aruba", &[]),
    ("AX", "ALA", "Åland Islands", &[]),
    ("AZ", "AZE", "Azerbaijan", &["Republic of Azerbaijan"]),
    (
        "BA",
        "BIH",
        "Bosnia and Herzegovina",
        &["Republic of Bosnia and Herzegovina"],
    ),
    ("BB", "BRB", "Barbados", &[]),
    (
        "BD",
        "BGD",
        "Bangladesh",
        &["People's Republic of Bangladesh"],
    ),
    ("BE", "BEL", "Belgium", &["Kingdom of Belgium"]),
    ("BF", "BFA", "Burkina Faso", &[]),
    ("BG", "BGR", "Bulgaria", &["Republic of Bulgaria"]),
    ("BH", "BHR", "Bahrain", &["Kingdom of Bahrain"]),
    ("BI", "BDI", "Burundi", &["Republic of Burundi"]),
    ("BJ", "BEN", "Benin", &["Republic of Benin"]),
    ("BL", "BLM", "Saint Barthélemy", &[]),
    ("BM", "BMU", "Bermuda", &[]),
    ("BN", "BRN", "Brunei Darussalam", &["Brunei"]),
    (
        "BO",
        "BOL",
        "Bolivia",
        &[
            "Bolivia, Plurinational State of",
            "Plurinational State of Bolivia",
        ],
    ),
    ("BQ", "BES", "Bonaire, Sint Eustatius and Saba", &[]),
    ("BR", "BRA", "Brazil", &["Federative Republic of Brazil"]),
    ("BS", "BHS", "Bahamas", &["Commonwealth of the Bahamas"]),
    ("BT", "BTN", "Bhutan", &["Kingdom of Bhutan"]),
    ("BV", "BVT", "Bouvet Island", &[]),
    ("BW", "BWA", "Botswana", &["Republic of Botswana"]),
    ("BY", "BLR", "Belarus", &["Republic of Belarus"]),
    ("BZ", "BLZ", "Belize", &[]),
    ("CA", "CAN", "Canada", &[]),
    ("CC", "CCK", "Cocos (Keeling) Islands", &[]),
    (
        "CD",
        "COD",
        "Congo, The Democratic Republic of the",
        &[
            "Democratic Republic of the Congo",
            "DR Congo",
            "Congo-Kinshasa",
        ],
    ),
    ("CF", "CAF", "Central African Republic", &[]),
    (
        "CG",
        "COG",
        "Congo",
        &["Republic of the Congo", "Congo-Brazzaville"],
    ),
    ("CH", "CHE", "Switzerland", &["Swiss Confederation"]),
    (
        "CI",
        "CIV",
        "Côte d'Ivoire",
        &["Republic of Côte d'Ivoire", "Ivory Coast"],
    ),
    ("CK", "COK", "Cook Islands", &[]),
    ("CL", "CHL", "Chile", &["Republic of Chile"]),
    ("CM", "CMR", "Cameroon", &["Republic of Cameroon"]),
    ("CN", "CHN", "China", &["People's Republic of China"]),
    ("CO", "COL", "Colombia", &["Republic of Colombia"]),
    ("CR", "CRI", "Costa Rica", &["Republic of Costa Rica"]),
    ("CU", "CUB", "Cuba", &["Republic of Cuba"]),
    (
        "CV",
        "CPV",
        "Cabo Verde",
        &["Republic of Cabo Verde", "Cape Verde"],
    ),
    ("CW", "CUW", "Curaçao", &[]),
    ("CX", "CXR", "Christmas Island", &[]),
    ("CY", "CYP", "Cyprus", &["Republic of Cyprus"]),
    ("CZ", "CZE", "Czechia", &["Czech Republic"]),
    ("DE", "DEU", "Germany", &["Federal Republic of Germany"]),
    ("DJ", "DJI", "Djibouti", &["Republic of Djibouti"]),
    ("DK", "DNK", "Denmark", &["Kingdom of Denmark"]),
    ("DM", "DMA", "Dominica", &["Commonwealth of Dominica"]),
    ("DO", "DOM", "Dominican Republic", &[]),
    (
        "DZ",
        "DZA",
        "Algeria",
        &["People's Democratic Republic of Algeria"],
    ),
    ("EC", "ECU", "Ecuador", &["Republic of Ecuador"]),
    ("EE", "EST", "Estonia", &["Republic of Estonia"]),
    ("EG", "EGY", "Egypt", &["Arab Republic of Egypt"]),
    ("EH", "ESH", "Western Sahara", &[]),
    ("ER", "ERI", "Eritrea", &["the State of Eritrea"]),
    ("ES", "ESP", "Spain", &["Kingdom of Spain"]),
    (
        "ET",
        "ETH",
        "Ethiopia",
        &["Federal Democratic Republic of Ethiopia"],
    ),
    ("FI", "FIN", "Finland", &["Republic of Finland"]),
    ("FJ", "FJI", "Fiji", &["Republic of Fiji"]),
    ("FK", "FLK", "Falkland Islands (Malvinas)", &[]),
    (
        "FM",
        "FSM",
        "Micronesia, Federated States of",
        &["Federated States of Micronesia", "Micronesia"],
    ),
    ("FO", "FRO", "Faroe Islands", &[]),
    ("FR", "FRA", "France", &["French Republic"]),
    ("GA", "GAB", "Gabon", &["Gabonese Republic"]),
    (
        "GB",
        "GBR",
        "United Kingdom",
        &[
            "United Kingdom of Great Britain and Northern Ireland",
            "UK",
            "Great Britain",
            "Britain",
            "England",
            "Scotland",
            "Wales",
            "Northern Ireland",
        ],
    ),
    ("GD", "GRD", "Grenada", &[]),
    ("GE", "GEO", "Georgia", &[]),
    ("GF", "GUF", "French Guiana", &[]),
    ("GG", "GGY", "Guernsey", &[]),
    ("GH", "GHA", "Ghana", &["Republic of Ghana"]),
    ("GI", "GIB", "Gibraltar", &[]),
    ("GL", "GRL", "Greenland", &[]),
    ("GM", "GMB", "Gambia", &["Republic of the Gambia"]),
    ("GN", "GIN", "Guinea", &["Republic of Guinea"]),
    ("GP", "GLP", "Guadeloupe", &[]),
    (
        "GQ",
        "GNQ",
        "Equatorial Guinea",
        &["Republic of Equatorial Guinea"],
    ),
    ("GR", "GRC", "Greece", &["Hellenic Republic"]),
    (
        "GS",
        "SGS",
        "South Georgia and the South Sandwich Islands",
        &[],
    ),
    ("GT", "GTM", "Guatemala", &["Republic of Guatemala"]),
    ("GU", "GUM", "Guam", &[]),
    ("GW", "GNB", "Guinea-Bissau", &["Republic of Guinea-Bissau"]),
    ("GY", "GUY", "Guyana", &["Republic of Guyana"]),
    (
        "HK",
        "HKG",
        "Hong Kong",
        &["Hong Kong Special Administrative Region of China"],
    ),
    ("HM", "HMD", "Heard Island and McDonald Islands", &[]),
    ("HN", "HND", "Honduras", &["Republic of Honduras"]),
    ("HR", "HRV", "Croatia", &["Republic of Croatia"]),
    ("HT", "HTI", "Haiti", &["Republic of Haiti"]),
    ("HU", "HUN", "Hungary", &[]),
    ("ID", "IDN", "Indonesia", &["Republic of Indonesia"]),
    ("IE", "IRL", "Ireland", &[]),
    ("IL", "ISR", "Israel", &["State of Israel"]),
    ("IM", "IMN", "Isle of Man", &[]),
    ("IN", "IND", "India", &["Republic of India"]),
    ("IO", "IOT", "British Indian Ocean Territory", &[]),
    ("IQ", "IRQ", "Iraq", &["Republic of Iraq"]),
    (
        "IR",
        "IRN",
        "Iran",
        &["Iran, Islamic Republic of", "Islamic Republic of Iran"],
    ),
    ("IS", "ISL", "Iceland", &["Republic of Iceland"]),
    ("IT", "ITA", "Italy", &["Italian Republic"]),
    ("JE", "JEY", "Jersey", &[]),
    ("JM", "JAM", "Jamaica", &[]),
    ("JO", "JOR", "Jordan", &["Hashemite Kingdom of Jordan"]),
    ("JP", "JPN", "Japan", &[]),
    ("KE", "KEN", "Kenya", &["Republic of Kenya"]),
    ("KG", "KGZ", "Kyrgyzstan", &["Kyrgyz Republic"]),
    ("KH", "KHM", "Cambodia", &["Kingdom of Cambodia"]),
    ("KI", "KIR", "Kiribati", &["Republic of Kiribati"]),
    ("KM", "COM", "Comoros", &["Union of the Comoros"]),
    ("KN", "KNA", "Saint Kitts and Nevis", &[]),
    (
        "KP",
        "PRK",
        "North Korea",
        &[
            "Korea, Democratic People's Republic of",
            "Democratic People's Republic of Korea",
        ],
    ),
    (
        "KR",
        "KOR",
        "South Korea",
        &["Korea, Republic of", "Korea", "Republic of Korea"],
    ),
    ("KW", "KWT", "Kuwait", &["State of Kuwait"]),
    ("KY", "CYM", "Cayman Islands", &[]),
    ("KZ", "KAZ", "Kazakhstan", &["Republic of Kazakhstan"]),
    ("LA", "LAO", "Laos", &["Lao People's Democratic Republic"]),
    ("LB", "LBN", "Lebanon", &["Lebanese Republic"]),
    ("LC", "LCA", "Saint Lucia", &[]),
    (
        "LI",
        "LIE",
        "Liechtenstein",
        &["Principality of Liechtenstein"],
    ),
    (
        "LK",
        "LKA",
        "Sri Lanka",
        &["Democratic Socialist Republic of Sri Lanka"],
    ),
    ("LR", "LBR", "Liberia", &["Republic of Liberia"]),
    ("LS", "LSO", "Lesotho", &["Kingdom of Lesotho"]),
    ("LT", "LTU", "Lithuania", &["Republic of Lithuania"]),
    ("LU", "LUX", "Luxembourg", &["Grand Duchy of Luxembourg"]),
    ("LV", "LVA", "Latvia", &["Republic of Latvia"]),
    ("LY", "LBY", "Libya", &[]),
    ("MA", "MAR", "Morocco", &["Kingdom of Morocco"]),
    ("MC", "MCO", "Monaco", &["Principality of Monaco"]),
    (
        "MD",
        "MDA",
        "Moldova",
        &["Moldova, Republic of", "Republic of Moldova"],
    ),
    ("ME", "MNE", "Montenegro", &[]),
    ("MF", "MAF", "Saint Martin (French part)", &[]),
    ("MG", "MDG", "Madagascar", &["Republic of Madagascar"]),
    (
        "MH",
        "MHL",
        "Marshall Islands",
        &["Republic of the Marshall Islands"],
    ),
    (
        "MK",
        "MKD",
        "North Macedonia",
        &["Republic of North Macedonia", "Macedonia"],
    ),
    ("ML", "MLI", "Mali", &["Republic of Mali"]),
    ("MM", "MMR", "Myanmar", &["Republic of Myanmar", "Burma"]),
    ("MN", "MNG", "Mongolia", &[]),
    (
        "MO",
        "MAC",
        "Macao",
        &["Macao Special Administrative Region of China", "Macau"],
    ),
    (
        "MP",
        "MNP",
        "Northern Mariana Islands",
        &["Commonwealth of the Northern Mariana Islands"],
    ),
    ("MQ", "MTQ", "Martinique", &[]),
    (
        "MR",
        "MRT",
        "Mauritania",
        &["Islamic Republic of Mauritania"],
    ),
    ("MS", "MSR", "Montserrat", &[]),
    ("MT", "MLT", "Malta", &["Republic of Malta"]),
    ("MU", "MUS", "Mauritius", &["Republic of Mauritius"]),
    ("MV", "MDV", "Maldives", &["Republic of Maldives"]),
    ("MW", "MWI", "Malawi", &["Republic of Malawi"]),
    ("MX", "MEX", "Mexico", &["United Mexican States"]),
    ("MY", "MYS", "Malaysia", &[]),
    ("MZ", "MOZ", "Mozambique", &["Republic of Mozambique"]),
    ("NA", "NAM", "Namibia", &["Republic of Namibia"]),
    ("NC", "NCL", "New Caledonia", &[]),
    ("NE", "NER", "Niger", &["Republic of the Niger"]),
    ("NF", "NFK", "Norfolk Island", &[]),
    ("NG", "NGA", "Nigeria", &["Federal Republic of Nigeria"]),
    ("NI", "NIC", "Nicaragua", &["Republic of Nicaragua"]),
    (
        "NL",
        "NLD",
        "Netherlands",
        &["Kingdom of the Netherlands", "Holland", "The Netherlands"],
    ),
    ("NO", "NOR", "Norway", &["Kingdom of Norway"]),
    (
        "NP",
        "NPL",
        "Nepal",
        &["Federal Democratic Republic of Nepal"],
    ),
    ("NR", "NRU", "Nauru", &["Republic of Nauru"]),
    ("NU", "NIU", "Niue", &[]),
    ("NZ", "NZL", "New Zealand", &[]),
    ("OM", "OMN", "Oman", &["Sultanate of Oman"]),
    ("PA", "PAN", "Panama", &["Republic of Panama"]),
    ("PE", "PER", "Peru", &["Republic of Peru"]),
    ("PF", "PYF", "French Polynesia", &[]),
    (
        "PG",
        "PNG",
        "Papua New Guinea",
        &["Independent State of Papua New Guinea"],
    ),
    ("PH", "PHL", "Philippines", &["Republic of the Philippines"]),
    ("PK", "PAK", "Pakistan", &["Islamic Republic of Pakistan"]),
    ("PL", "POL", "Poland", &["Republic of Poland"]),
    ("PM", "SPM", "Saint Pierre and Miquelon", &[]),
    ("PN", "PCN", "Pitcairn", &[]),
    ("PR", "PRI", "Puerto Rico", &[]),
    (
        "PS",
        "PSE",
        "Palestine, State of",
        &["the State of Palestine", "Palestine"],
    ),
    ("PT", "PRT", "Portugal", &["Portuguese Republic"]),
    ("PW", "PLW", "Palau", &["Republic of Palau"]),
    ("PY", "PRY", "Paraguay", &["Republic of Paraguay"]),
    ("QA", "QAT", "Qatar", &["State of Qatar"]),
    ("RE", "REU", "Réunion", &[]),
    ("RO", "ROU", "Romania", &[]),
    ("RS", "SRB", "Serbia", &["Republic of Serbia"]),
    ("RU", "RUS", "Russian Federation", &["Russia"]),
    ("RW", "RWA", "Rwanda", &["Rwandese Republic"]),
    ("SA", "SAU", "Saudi Arabia", &["Kingdom of Saudi Arabia"]),
    ("SB", "SLB", "Solomon Islands", &[]),
    ("SC", "SYC", "Seychelles", &["Republic of Seychelles"]),
    ("SD", "SDN", "Sudan", &["Republic of the Sudan"]),
    ("SE", "SWE", "Sweden", &["Kingdom of Sweden"]),
    ("SG", "SGP", "Singapore", &["Republic of Singapore"]),
    (
        "SH",
        "SHN",
        "Saint Helena, Ascension and Tristan da Cunha",
        &[],
    ),
    ("SI", "SVN", "Slovenia", &["Republic of Slovenia"]),
    ("SJ", "SJM", "Svalbard and Jan Mayen", &[]),
    ("SK", "SVK", "Slovakia", &["Slovak Republic"]),
    ("SL", "SLE", "Sierra Leone", &["Republic of Sierra Leone"]),
    ("SM", "SMR", "San Marino", &["Republic of San Marino"]),
    ("SN", "SEN", "Senegal", &["Republic of Senegal"]),
    ("SO", "SOM", "Somalia", &["Federal Republic of Somalia"]),
    ("SR", "SUR", "Suriname", &["Republic of Suriname"]),
    ("SS", "SSD", "South Sudan", &["Republic of South Sudan"]),
    (
        "ST",
        "STP",
        "Sao Tome and Principe",
        &["Democratic Republic of Sao Tome and Principe"],
    ),
    ("SV", "SLV", "El Salvador", &["Republic of El Salvador"]),
    ("SX", "SXM", "Sint Maarten (Dutch part)", &[]),
    ("SY", "SYR", "Syria", &["Syrian Arab Republic"]),
    (
        "SZ",
        "SWZ",
        "Eswatini",
        &["Kingdom of Eswatini", "Swaziland"],
    ),
    ("TC", "TCA", "Turks and Caicos Islands", &[]),
    ("TD", "TCD", "Chad", &["Republic of Chad"]),
    ("TF", "ATF", "French Southern Territories", &[]),
    ("TG", "TGO", "Togo", &["Togolese Republic"]),
    ("TH", "THA", "Thailand", &["Kingdom of Thailand"]),
    ("TJ", "TJK", "Tajikistan", &["Republic of Tajikistan"]),
    ("TK", "TKL", "Tokelau", &[]),
    (
        "TL",
        "TLS",
        "Timor-Leste",
        &["Democratic Republic of Timor-Leste"],
    ),
    ("TM", "TKM", "Turkmenistan", &[]),
    ("TN", "TUN", "Tunisia", &["Republic of Tunisia"]),
    ("TO", "TON", "Tonga", &["Kingdom of Tonga"]),
    ("TR", "TUR", "Türkiye", &["Republic of Türkiye", "Turkey"]),
    (
        "TT",
        "TTO",
        "Trinidad and Tobago",
        &["Republic of Trinidad and Tobago"],
    ),
    ("TV", "TUV", "Tuvalu", &[]),
    ("TW", "TWN", "Taiwan", &["Taiwan, Province of China"]),
    (
        "TZ",
        "TZA",
        "Tanzania",
        &[
            "Tanzania, United Republic of",
            "United Republic of Tanzania",
        ],
    ),
    ("UA", "UKR", "Ukraine", &[]),
    ("UG", "UGA", "Uganda", &["Republic of Uganda"]),
    ("UM", "UMI", "United States Minor Outlying Islands", &[]),
    (
        "US",
        "USA",
        "United States",
        &["United States of America", "America", "U S A", "U S"],
    ),
    ("UY", "URY", "Uruguay", &["Eastern Republic of Uruguay"]),
    ("UZ", "UZB", "Uzbekistan", &["Republic of Uzbekistan"]),
    (
        "VA",
        "VAT",
        "Holy See (Vatican City State)",
        &["Vatican", "Vatican City"],
    ),
    ("VC", "VCT", "Saint Vincent and the Grenadines", &[]),
    (
        "VE",
        "VEN",
        "Venezuela",
        &[
            "Venezuela, Bolivarian Republic of",
            "Bolivarian Republic of Venezuela",
        ],
    ),
    (
        "VG",
        "VGB",
        "Virgin Islands, British",
        &["British Virgin Islands"],
    ),
    (
        "VI",
        "VIR",
        "Virgin Islands, U.S.",
        &[
            "Virgin Islands of the United States",
            "US Virgin Islands",
            "U.S. Virgin Islands",
        ],
    ),
    (
        "VN",
        "VNM",
        "Vietnam",
        &["Viet Nam", "Socialist Republic of Viet Nam"],
    ),
    ("VU", "VUT", "Vanuatu", &["Republic of Vanuatu"]),
    ("WF", "WLF", "Wallis and Futuna", &[]),
    ("WS", "WSM", "Samoa", &["Independent State of Samoa"]),
    ("YE", "YEM", "Yemen", &["Republic of Yemen"]),
    ("YT", "MYT", "Mayotte", &[]),
    ("ZA", "ZAF", "South Africa", &["Republic of South Africa"]),
    ("ZM", "ZMB", "Zambia", &["Republic of Zambia"]),
    ("ZW", "ZWE", "Zimbabwe", &["Republic of Zimbabwe"]),
];

/// Territories and freely associated states with an ISO code of their own that USPS serves as
/// domestic mail, each also a USPS "state" code.
const US_TERRITORIES: &[&str] = &["AS", "FM", "GU", "MH", "MP", "PR", "PW", "VI"];

/// Lower case, letters and digits only, single spaces: `U.S.A.` and `u s a` compare equal.
fn key(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .to_lowercase();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The alpha-2 code of a country written as a code or a name, or `None` for text that names no
/// country Shipdesk knows.
pub fn country_code(raw: &str) -> Option<&'static str> {
    let wanted = key(raw);
    if wanted.is_empty() {
        return None;
    }
    let index = &*LOOKUP;
    let compact = wanted.replace(' ', "");
    if compact.len() <= 3
        && let Some(code) = index.short.get(&compact)
    {
        return Some(code);
    }
    index.names.get(&wanted).copied()
}

/// Every spelling [`country_code`] accepts, keyed as it compares them: built once, so reading a
/// country costs one lookup, not a walk over every name (an import reads one per order).
struct Lookup {
    /// Codes and names of at most three letters without spaces (`ca`, `can`, `uk`, `usa`).
    short: std::collections::HashMap<String, &'static str>,
    /// Display and other names by [`key`].
    names: std::collections::HashMap<String, &'static str>,
}

static LOOKUP: std::sync::LazyLock<Lookup> = std::sync::LazyLock::new(|| {
    let mut short = std::collections::HashMap::new();
    let mut names = std::collections::HashMap::new();
    // The first country to claim a spelling keeps it, as the walk over the table did.
    for (alpha2, alpha3, _, others) in COUNTRIES {
        short.entry(alpha2.to_lowercase()).or_insert(*alpha2);
        short.entry(alpha3.to_lowercase()).or_insert(*alpha2);
        for other in *others {
            let compact = key(other).replace(' ', "");
            if compact.len() <= 3 {
                short.entry(compact).or_insert(*alpha2);
            }
        }
    }
    for (alpha2, _, name, others) in COUNTRIES {
        names.entry(key(name)).or_insert(*alpha2);
        for other in *others {
            names.entry(key(other)).or_insert(*alpha2);
        }
    }
    Lookup { short, names }
});

/// The English name of an alpha-2 code (`CA` → `Canada`); the code itself when it is not one.
pub fn country_name(code: &str) -> &str {
    COUNTRIES
        .iter()
        .find(|(alpha2, ..)| alpha2.eq_ignore_ascii_case(code.trim()))
        .map(|(_, _, name, _)| *name)
        .unwrap_or(code)
}

/// The USPS state code of a US territory written as a country (`PR` → `PR`), else `None`.
pub fn us_territory(code: &str) -> Option<&'static str> {
    US_TERRITORIES.iter().copied().find(|t| *t == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_read_back_to_the_alpha_2_code() {
        for (raw, code) in [
            ("CA", "CA"),
            ("ca", "CA"),
            ("CAN", "CA"),
            ("Canada", "CA"),
            (" canada ", "CA"),
            ("United Kingdom", "GB"),
            ("UK", "GB"),
            ("U.K.", "GB"),
            ("Great Britain", "GB"),
            ("GBR", "GB"),
            ("Germany", "DE"),
            ("Korea, Republic of", "KR"),
            ("South Korea", "KR"),
            ("United States of America", "US"),
            ("U.S.A.", "US"),
            ("usa", "US"),
            ("Puerto Rico", "PR"),
            ("Mexico", "MX"),
            ("Côte d'Ivoire", "CI"),
        ] {
            assert_eq!(country_code(raw), Some(code), "{raw}");
        }
        // Only English names are known: a name in another language is not guessed.
        for unknown in ["", "  ", "Narnia", "XX", "Canada Post", "12", "Deutschland"] {
            assert_eq!(country_code(unknown), None, "{unknown:?}");
        }
    }

    #[test]
    fn names_and_territories() {
        assert_eq!(country_name("CA"), "Canada");
        assert_eq!(country_name("gb"), "United Kingdom");
        assert_eq!(country_name("ZZ"), "ZZ");
        assert_eq!(us_territory("PR"), Some("PR"));
        assert_eq!(us_territory("GU"), Some("GU"));
        assert_eq!(us_territory("CA"), None);
        assert_eq!(COUNTRIES.len(), 249);
        assert!(COUNTRIES.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
