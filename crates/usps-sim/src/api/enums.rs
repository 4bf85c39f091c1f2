//! Enumerations from the USPS specs that several APIs validate against.

pub const STATES: &[&str] = &[
    "AA", "AE", "AL", "AK", "AP", "AS", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FM", "FL", "GA",
    "GU", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MH", "MD", "MA", "MI", "MN", "MS",
    "MO", "MP", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PW", "PA",
    "PR", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VI", "VA", "WA", "WV", "WI", "WY",
];

pub const MAIL_CLASSES: &[&str] = &[
    "PARCEL_SELECT",
    "PARCEL_SELECT_LIGHTWEIGHT",
    "PRIORITY_MAIL_EXPRESS",
    "PRIORITY_MAIL",
    "FIRST-CLASS_PACKAGE_SERVICE",
    "LIBRARY_MAIL",
    "MEDIA_MAIL",
    "BOUND_PRINTED_MATTER",
    "USPS_CONNECT_LOCAL",
    "USPS_CONNECT_MAIL",
    "USPS_CONNECT_REGIONAL",
    "USPS_GROUND_ADVANTAGE",
    "USPS_GROUND_ADVANTAGE_RETURN_SERVICE",
    "USPS_RETAIL_GROUND",
    "GROUND_RETURN_SERVICE",
    "FIRST-CLASS_PACKAGE_RETURN_SERVICE",
    "PRIORITY_MAIL_RETURN_SERVICE",
    "PRIORITY_MAIL_EXPRESS_RETURN_SERVICE",
];
pub const PROCESSING: &[&str] = &[
    "LETTERS",
    "FLATS",
    "MACHINABLE",
    "IRREGULAR",
    "NON_MACHINABLE",
    "NONSTANDARD",
];
pub const DEF_TYPES: &[&str] = &[
    "NONE",
    "DESTINATION_NETWORK_DISTRIBUTION_CENTER",
    "DESTINATION_SECTIONAL_CENTER_FACILITY",
    "DESTINATION_DELIVERY_UNIT",
    "DESTINATION_SERVICE_HUB",
    "DESTINATION_REGIONAL_PROCESSING_DISTRIBUTION_CENTER",
];
pub const RATE_INDICATORS: &[&str] = &[
    "3D", "3N", "3R", "5D", "BA", "BB", "BM", "C1", "C2", "C3", "C4", "C5", "CP", "CM", "DC", "DE",
    "DF", "DN", "DR", "E4", "E6", "E7", "FA", "FB", "FE", "FP", "FS", "LC", "LF", "LL", "LO", "LS",
    "NP", "O1", "O2", "O3", "O4", "O5", "O6", "O7", "OS", "P5", "P6", "P7", "P8", "P9", "Q6", "Q7",
    "Q8", "Q9", "Q0", "PA", "PL", "PM", "PR", "SB", "SN", "SP", "SR",
];
pub const LABEL_CLASSES: &[&str] = &[
    "PARCEL_SELECT",
    "PARCEL_SELECT_LIGHTWEIGHT",
    "USPS_CONNECT_LOCAL",
    "USPS_CONNECT_REGIONAL",
    "USPS_CONNECT_MAIL",
    "USPS_GROUND_ADVANTAGE",
    "PRIORITY_MAIL_EXPRESS",
    "PRIORITY_MAIL",
    "FIRST-CLASS_PACKAGE_SERVICE",
    "LIBRARY_MAIL",
    "MEDIA_MAIL",
    "BOUND_PRINTED_MATTER",
];
pub const IMAGE_TYPES: &[&str] = &[
    "PDF",
    "TIFF",
    "JPG",
    "PNG",
    "GIF",
    "SVG",
    "ZPL203DPI",
    "ZPL300DPI",
    "EPL300DPI",
    "LABEL_BROKER",
    "NONE",
];
pub const LABEL_TYPES: &[&str] = &["4X6LABEL", "4X4LABEL", "4X5LABEL", "6X4LABEL", "2X7LABEL"];
pub const RECEIPT_OPTIONS: &[&str] = &["SAME_PAGE", "SEPARATE_PAGE", "NONE"];
