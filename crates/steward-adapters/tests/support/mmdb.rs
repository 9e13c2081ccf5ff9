//! A tiny writer of MaxMind DB (format 2.0) files for tests: an IPv4 search tree with 24-bit
//! records and a data section of `{country: {iso_code}, subdivisions: [{iso_code}]}` maps,
//! enough for a GeoIP2-City-shaped lookup. (The maxminddb crate reads only.)

/// One network and the region it maps to.
pub struct Net<'a> {
    /// The network address (IPv4).
    pub addr: [u8; 4],
    /// Its prefix length.
    pub len: u8,
    /// Country ISO code.
    pub country: &'a str,
    /// First subdivision ISO code, if any.
    pub subdivision: Option<&'a str>,
}

fn ctrl(out: &mut Vec<u8>, kind: u8, size: usize) {
    assert!(size < 29);
    if kind <= 7 {
        out.push((kind << 5) | size as u8);
    } else {
        out.push(size as u8);
        out.push(kind - 7);
    }
}

fn string(out: &mut Vec<u8>, s: &str) {
    ctrl(out, 2, s.len());
    out.extend_from_slice(s.as_bytes());
}

fn uint(out: &mut Vec<u8>, kind: u8, v: u64) {
    let bytes = v.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    ctrl(out, kind, 8 - skip);
    out.extend_from_slice(&bytes[skip..]);
}

fn map_header(out: &mut Vec<u8>, pairs: usize) {
    ctrl(out, 7, pairs);
}

fn record(out: &mut Vec<u8>, country: &str, subdivision: Option<&str>) {
    map_header(out, if subdivision.is_some() { 2 } else { 1 });
    string(out, "country");
    map_header(out, 1);
    string(out, "iso_code");
    string(out, country);
    if let Some(s) = subdivision {
        string(out, "subdivisions");
        ctrl(out, 11, 1); // array of one
        map_header(out, 1);
        string(out, "iso_code");
        string(out, s);
    }
}

#[derive(Clone, Copy)]
enum Rec {
    Empty,
    Node(usize),
    Data(usize),
}

/// The bytes of a database holding `nets`.
pub fn build(nets: &[Net<'_>]) -> Vec<u8> {
    let mut data = Vec::new();
    let mut nodes: Vec<[Rec; 2]> = vec![[Rec::Empty, Rec::Empty]];
    for n in nets {
        let offset = data.len();
        record(&mut data, n.country, n.subdivision);
        let bits = u32::from_be_bytes(n.addr);
        let mut node = 0;
        for depth in 0..n.len {
            let bit = ((bits >> (31 - depth)) & 1) as usize;
            if depth + 1 == n.len {
                nodes[node][bit] = Rec::Data(offset);
            } else {
                node = match nodes[node][bit] {
                    Rec::Node(i) => i,
                    _ => {
                        nodes.push([Rec::Empty, Rec::Empty]);
                        let i = nodes.len() - 1;
                        nodes[node][bit] = Rec::Node(i);
                        i
                    }
                };
            }
        }
    }
    let count = nodes.len();
    let mut out = Vec::new();
    for n in &nodes {
        for r in n {
            let v = match *r {
                Rec::Empty => count,
                Rec::Node(i) => i,
                Rec::Data(off) => count + 16 + off,
            } as u32;
            out.extend_from_slice(&v.to_be_bytes()[1..]);
        }
    }
    out.extend_from_slice(&[0u8; 16]);
    out.extend_from_slice(&data);
    out.extend_from_slice(b"\xAB\xCD\xEFMaxMind.com");
    map_header(&mut out, 9);
    string(&mut out, "node_count");
    uint(&mut out, 6, count as u64);
    string(&mut out, "record_size");
    uint(&mut out, 5, 24);
    string(&mut out, "ip_version");
    uint(&mut out, 5, 4);
    string(&mut out, "database_type");
    string(&mut out, "Steward-Test-City");
    string(&mut out, "languages");
    ctrl(&mut out, 11, 1);
    string(&mut out, "en");
    string(&mut out, "binary_format_major_version");
    uint(&mut out, 5, 2);
    string(&mut out, "binary_format_minor_version");
    uint(&mut out, 5, 0);
    string(&mut out, "build_epoch");
    uint(&mut out, 9, 1_700_000_000);
    string(&mut out, "description");
    map_header(&mut out, 1);
    string(&mut out, "en");
    string(&mut out, "test database");
    out
}
