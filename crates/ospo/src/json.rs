//! Pretty JSON written in pieces, so that a document's big arrays are rendered on every core
//! and streamed: the bytes are exactly those of `serde_json::to_writer_pretty` for the same
//! document (tests check it), only the work is shared out and never held whole in memory.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

mod inventory;

/// A value that writes itself into a buffer as pretty JSON nested `level` steps deep, the same
/// bytes as its `Serialize` implementation through [`to_writer_at`] but without serde's
/// formatter: for the elements of the big arrays ([`ObjectWriter::par_array`]).
pub trait WriteJson {
    fn write_json(&self, out: &mut Vec<u8>, level: usize) -> io::Result<()>;
}

/// Spaces for indentation, two per level.
const SPACES: &[u8; 128] = &[b' '; 128];

/// Appends the indentation of `level`.
fn indent_buf(out: &mut Vec<u8>, level: usize) {
    let mut n = level * 2;
    while n > 0 {
        let k = n.min(SPACES.len());
        out.extend_from_slice(&SPACES[..k]);
        n -= k;
    }
}

/// How serde_json escapes each byte: 0 for none, else the letter after the backslash (`u` for
/// `\u00XX`).
const ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0A] = b'n';
    t[0x0C] = b'f';
    t[0x0D] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// The lowest byte of `w` that needs escaping (a control character, `"` or `\\`) has its high bit
/// set in the result; bytes above it may be flagged falsely, never a byte below it.
fn needs_escape(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let control = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    control | zero(w ^ (ONES * u64::from(b'"'))) | zero(w ^ (ONES * u64::from(b'\\')))
}

/// Appends `s` as a JSON string escaped exactly as serde_json escapes it.
pub fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    string_rest(out, s);
}

/// Whether no byte of `bytes` needs escaping: sixteen at a time (the test of a block is written
/// so that it compiles to a few vector instructions), the last few in one block that overlaps
/// the one before; a string shorter than a block in words, or byte by byte.
pub(crate) fn clean(bytes: &[u8]) -> bool {
    if bytes.len() < 16 {
        return clean_short(bytes);
    }
    // A loop that can leave early, so that the blocks are tested one at a time, each as a
    // whole (a loop without an exit is vectorised across blocks instead, byte by byte).
    let (blocks, _) = bytes.as_chunks::<16>();
    for block in blocks {
        if block_flagged(block) {
            return false;
        }
    }
    bytes
        .last_chunk::<16>()
        .is_none_or(|last| !block_flagged(last))
}

/// Whether any of sixteen bytes needs escaping: a flag per byte, then the sixteen as one
/// number, which compiles to three vector comparisons and a test.
#[inline(always)]
fn block_flagged(block: &[u8; 16]) -> bool {
    let mut flags = [0u8; 16];
    for (flag, &b) in flags.iter_mut().zip(block) {
        *flag = u8::from((b < 0x20) | (b == b'"') | (b == b'\\'));
    }
    u128::from_ne_bytes(flags) != 0
}

/// [`clean`] for fewer than sixteen bytes: two words that may overlap, one word made of two
/// halves that may overlap, or (under four bytes) byte by byte.
fn clean_short(bytes: &[u8]) -> bool {
    let word = |b: &[u8; 8]| u64::from_le_bytes(*b);
    let half = |b: &[u8; 4]| u64::from(u32::from_le_bytes(*b));
    if let (Some(first), Some(last)) = (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
        return needs_escape(word(first)) | needs_escape(word(last)) == 0;
    }
    if let (Some(first), Some(last)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        return needs_escape(half(first) | half(last) << 32) == 0;
    }
    bytes.iter().all(|&b| ESCAPE[usize::from(b)] == 0)
}

/// Appends `s` escaped and the closing quote of the JSON string it ends: almost every string
/// of an inventory needs no escape and is copied whole; the others go through [`escaped_rest`],
/// out of line, so that this stays small enough to save no registers around its copy.
fn string_rest(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    if clean(bytes) {
        out.reserve(bytes.len() + 1);
        out.extend_from_slice(bytes);
        out.push(b'"');
    } else {
        escaped_rest(out, bytes);
    }
}

/// [`string_rest`] for a string with something to escape: eight bytes at a time through the
/// runs that need nothing.
#[cold]
#[inline(never)]
fn escaped_rest(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut start = 0;
    let mut i = 0;
    let escape = |out: &mut Vec<u8>, start: usize, i: usize, b: u8| {
        out.extend_from_slice(&bytes[start..i]);
        let esc = ESCAPE[usize::from(b)];
        if esc == b'u' {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 15)]);
        } else {
            out.push(b'\\');
            out.push(esc);
        }
    };
    // Whole words while they last (a fixed-size copy is one load)...
    while let Some(word) = bytes.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let flagged = needs_escape(u64::from_le_bytes(w));
        if flagged == 0 {
            i += 8;
            continue;
        }
        i += (flagged.trailing_zeros() / 8) as usize;
        if let Some(&b) = bytes.get(i) {
            escape(out, start, i, b);
        }
        i += 1;
        start = i;
    }
    // ...then the last few bytes one by one.
    while let Some(&b) = bytes.get(i) {
        if ESCAPE[usize::from(b)] != 0 {
            escape(out, start, i, b);
            start = i + 1;
        }
        i += 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// serde_json's `PrettyFormatter` (two spaces per level), starting at a given nesting level.
pub struct Pretty {
    level: usize,
    has_value: bool,
}

impl Pretty {
    pub fn at(level: usize) -> Self {
        Pretty {
            level,
            has_value: false,
        }
    }
}

fn indent<W: ?Sized + Write>(w: &mut W, level: usize) -> io::Result<()> {
    let mut n = level * 2;
    while n > 0 {
        let k = n.min(SPACES.len());
        w.write_all(&SPACES[..k])?;
        n -= k;
    }
    Ok(())
}

impl Pretty {
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            indent(w, self.level)?;
        }
        w.write_all(bracket)
    }

    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        separator(w, first, self.level)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes `value` as pretty JSON nested at `level` (its inner lines indented to match).
pub fn to_writer_at<W: ?Sized + Write, T: ?Sized + Serialize>(
    w: &mut W,
    value: &T,
    level: usize,
) -> serde_json::Result<()> {
    value.serialize(&mut serde_json::Serializer::with_formatter(
        w,
        Pretty::at(level),
    ))
}

/// A pretty JSON object written field by field: the top-level document (level 0) or one nested
/// in it (its closing brace indented `level` steps).
pub struct ObjectWriter<'w, W: ?Sized + Write> {
    w: &'w mut W,
    fields: usize,
    level: usize,
}

/// Components per rendering task: enough to amortise a task, small enough that a buffer stays
/// well under a megabyte and the cores share a single large project.
const CHUNK: usize = 256;

impl<'w, W: ?Sized + Write> ObjectWriter<'w, W> {
    pub fn new(w: &'w mut W) -> io::Result<Self> {
        Self::nested(w, 0)
    }

    /// An object that is a value nested `level` steps deep (its opening brace is written where
    /// the writer stands).
    pub fn nested(w: &'w mut W, level: usize) -> io::Result<Self> {
        w.write_all(b"{")?;
        Ok(ObjectWriter {
            w,
            fields: 0,
            level,
        })
    }

    fn key(&mut self, key: &str) -> serde_json::Result<()> {
        let io = serde_json::Error::io;
        self.w
            .write_all(if self.fields == 0 { b"\n" } else { b",\n" })
            .map_err(io)?;
        indent(self.w, self.level + 1).map_err(io)?;
        serde_json::to_writer(&mut *self.w, key)?;
        self.w.write_all(b": ").map_err(io)?;
        self.fields += 1;
        Ok(())
    }

    pub fn field<T: ?Sized + Serialize>(&mut self, key: &str, value: &T) -> serde_json::Result<()> {
        self.key(key)?;
        to_writer_at(self.w, value, self.level + 1)
    }

    /// An array field whose elements each get written by `item` (given the writer and the
    /// element's level), in order.
    pub fn array<'i, T>(
        &mut self,
        key: &str,
        items: &'i [T],
        mut item: impl FnMut(&mut W, &'i T, usize) -> serde_json::Result<()>,
    ) -> serde_json::Result<()> {
        self.array_field(key, items.is_empty(), |w, level| {
            for (i, x) in items.iter().enumerate() {
                separator(w, i == 0, level).map_err(serde_json::Error::io)?;
                item(w, x, level)?;
            }
            Ok(())
        })
    }

    /// An array field: `[]` when `empty`, else the brackets around what `body` writes (given
    /// the writer and the elements' level), the closing one on a line of its own.
    fn array_field(
        &mut self,
        key: &str,
        empty: bool,
        body: impl FnOnce(&mut W, usize) -> serde_json::Result<()>,
    ) -> serde_json::Result<()> {
        self.key(key)?;
        let io = serde_json::Error::io;
        if empty {
            return self.w.write_all(b"[]").map_err(io);
        }
        self.w.write_all(b"[").map_err(io)?;
        body(self.w, self.level + 2)?;
        self.w.write_all(b"\n").map_err(io)?;
        indent(self.w, self.level + 1).map_err(io)?;
        self.w.write_all(b"]").map_err(io)
    }

    /// An array field whose elements are written one at a time, as they come (see
    /// [`ArrayWriter`]).
    pub fn stream_array(&mut self, key: &str) -> serde_json::Result<ArrayWriter<'_, W>> {
        self.key(key)?;
        self.w.write_all(b"[").map_err(serde_json::Error::io)?;
        Ok(ArrayWriter {
            w: &mut *self.w,
            level: self.level + 2,
            count: 0,
        })
    }

    pub fn end(self) -> io::Result<()> {
        if self.fields > 0 {
            self.w.write_all(b"\n")?;
            indent(self.w, self.level)?;
        }
        self.w.write_all(b"}")
    }
}

/// The elements of an array field written as they come: a document whose big array is never
/// held whole (`scan -f json` writes each repository as soon as it is built).
pub struct ArrayWriter<'w, W: ?Sized + Write> {
    w: &'w mut W,
    level: usize,
    count: usize,
}

impl<W: ?Sized + Write> ArrayWriter<'_, W> {
    /// The next element, written by `item` (given the writer and the element's level).
    pub fn item(
        &mut self,
        item: impl FnOnce(&mut W, usize) -> serde_json::Result<()>,
    ) -> serde_json::Result<()> {
        separator(self.w, self.count == 0, self.level).map_err(serde_json::Error::io)?;
        self.count += 1;
        item(self.w, self.level)
    }

    /// The closing bracket: `[]` for no elements, else on a line of its own.
    pub fn end(self) -> io::Result<()> {
        if self.count > 0 {
            self.w.write_all(b"\n")?;
            indent(self.w, self.level - 1)?;
        }
        self.w.write_all(b"]")
    }
}

impl<'w, 'a> ObjectWriter<'w, Plan<'a>> {
    /// An array field whose elements are rendered later, on every core, [`CHUNK`] at a time
    /// (see [`Plan::write_to`]).
    pub fn par_array<T: WriteJson + Sync>(
        &mut self,
        key: &str,
        items: &'a [T],
    ) -> serde_json::Result<()> {
        self.array_field(key, items.is_empty(), |plan, level| {
            for (n, chunk) in items.chunks(CHUNK).enumerate() {
                plan.defer(Box::new(move |buf: &mut Vec<u8>| {
                    for (i, x) in chunk.iter().enumerate() {
                        inventory::ITEM.put(buf, level, n == 0 && i == 0);
                        x.write_json(buf, level).map_err(serde_json::Error::io)?;
                    }
                    Ok(())
                }));
            }
            Ok(())
        })
    }
}

thread_local! {
    /// Render buffers kept between the documents (or repositories) a thread writes.
    static BUFFERS: std::cell::Cell<Vec<Vec<u8>>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Renders a piece of a document into a buffer.
type Render<'a> = Box<dyn Fn(&mut Vec<u8>) -> serde_json::Result<()> + Send + Sync + 'a>;

enum Segment<'a> {
    Text(Vec<u8>),
    Render(Render<'a>),
}

/// A document planned before it is written: its structure as text, its big arrays as pieces to
/// render. [`Plan::write_to`] renders the pieces of every array of every object on every core, a
/// few rounds in flight into buffers used again, and writes everything in order: a large
/// project never becomes one large buffer, and many small ones still share the cores.
#[derive(Default)]
pub struct Plan<'a> {
    segments: Vec<Segment<'a>>,
    text: Vec<u8>,
}

impl<'a> Plan<'a> {
    fn defer(&mut self, render: Render<'a>) {
        if !self.text.is_empty() {
            self.segments
                .push(Segment::Text(std::mem::take(&mut self.text)));
        }
        self.segments.push(Segment::Render(render));
    }

    pub fn write_to<W: ?Sized + Write>(mut self, w: &mut W) -> serde_json::Result<()> {
        if !self.text.is_empty() {
            self.segments
                .push(Segment::Text(std::mem::take(&mut self.text)));
        }
        let round = rayon::current_num_threads().max(1) * 4;
        // Rounds of up to `round` pieces to render, with the text around them.
        let mut rounds: Vec<Vec<Segment<'a>>> = Vec::new();
        let mut renders = round;
        for s in self.segments {
            let render = matches!(s, Segment::Render(_));
            if render && renders == round {
                rounds.push(Vec::new());
                renders = 0;
            }
            renders += usize::from(render);
            match rounds.last_mut() {
                Some(r) => r.push(s),
                None => rounds.push(vec![s]),
            }
        }
        // The buffers of the last document written on this thread: each grew to the size of a
        // piece once, and is not grown (copied at every doubling) again for each repository.
        let mut pool: Vec<Vec<u8>> = BUFFERS.take();
        let mut rounds = rounds.into_iter();
        // Each round is written while the next one renders on the pool: the cores do not wait
        // for this thread's copying, nor this thread for theirs. The first round has nothing
        // written beside it, the last nothing rendered.
        let mut current: Option<(Vec<Segment<'a>>, Vec<Vec<u8>>)> = None;
        loop {
            let next = rounds.next();
            if current.is_none() && next.is_none() {
                break;
            }
            let mut next_buffers = next
                .as_ref()
                .map(|n| buffers_for(n, &mut pool))
                .unwrap_or_default();
            let mut results = Vec::new();
            let written = rayon::in_place_scope(|s| {
                if let Some(n) = &next {
                    render_round(s, n, &mut next_buffers, &mut results);
                }
                match &current {
                    Some((segments, buffers)) => write_round(w, segments, buffers),
                    None => Ok(()),
                }
            });
            if let Some((_, buffers)) = current.take() {
                pool.extend(buffers);
            }
            written.map_err(serde_json::Error::io)?;
            results.into_iter().collect::<serde_json::Result<()>>()?;
            current = next.map(|n| (n, next_buffers));
        }
        BUFFERS.set(pool);
        Ok(())
    }
}

/// A buffer from `pool` for each piece of `round` to render.
fn buffers_for(round: &[Segment<'_>], pool: &mut Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    round
        .iter()
        .filter(|s| matches!(s, Segment::Render(_)))
        .map(|_| pool.pop().unwrap_or_default())
        .collect()
}

/// Renders the pieces of `round` into `buffers` on the pool of `scope`, each result in `results`.
fn render_round<'s>(
    scope: &rayon::Scope<'s>,
    round: &'s [Segment<'_>],
    buffers: &'s mut [Vec<u8>],
    results: &'s mut Vec<serde_json::Result<()>>,
) {
    let renders = round.iter().filter_map(|s| match s {
        Segment::Render(r) => Some(r),
        Segment::Text(_) => None,
    });
    results.resize_with(buffers.len(), || Ok(()));
    for ((buf, render), result) in buffers.iter_mut().zip(renders).zip(results.iter_mut()) {
        scope.spawn(move |_| {
            buf.clear();
            *result = render(buf);
        });
    }
}

/// Writes a rendered round: its text and its buffers, in order.
fn write_round<W: ?Sized + Write>(
    w: &mut W,
    round: &[Segment<'_>],
    buffers: &[Vec<u8>],
) -> io::Result<()> {
    let mut rendered = buffers.iter();
    for s in round {
        match s {
            Segment::Text(t) => w.write_all(t)?,
            Segment::Render(_) => {
                if let Some(buf) = rendered.next() {
                    w.write_all(buf)?;
                }
            }
        }
    }
    Ok(())
}

impl Write for Plan<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.text.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.text.extend_from_slice(buf);
        Ok(())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// What comes before an array element at `level`: a new line (after a comma unless it is the
/// first) and the indentation.
fn separator<W: ?Sized + Write>(w: &mut W, first: bool, level: usize) -> io::Result<()> {
    w.write_all(if first { b"\n" } else { b",\n" })?;
    indent(w, level)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Item {
        name: String,
        tags: Vec<String>,
        nested: Vec<Vec<u32>>,
        empty: std::collections::BTreeMap<String, u8>,
    }

    impl WriteJson for Item {
        fn write_json(&self, out: &mut Vec<u8>, level: usize) -> io::Result<()> {
            to_writer_at(out, self, level).map_err(io::Error::other)
        }
    }

    proptest::proptest! {
        /// Any string is escaped byte for byte as serde_json escapes it, appended after
        /// whatever the buffer held.
        #[test]
        fn strings_are_escaped_as_serde_escapes_them(
            s in ".*",
            t in proptest::collection::vec(0u8..0x80, 0..40),
            before in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..20),
        ) {
            let t = String::from_utf8(t).expect("ASCII");
            for s in [&s, &t] {
                let mut out = before.clone();
                string(&mut out, s);
                let mut want = before.clone();
                want.extend(serde_json::to_vec(s).expect("serialises"));
                proptest::prop_assert_eq!(out, want);
            }
        }
    }

    /// Every length up to three blocks and a half, with each byte that needs escaping at every
    /// place (the blocks, their overlap and the short paths), among bytes that do not.
    #[test]
    fn clean_finds_every_byte_that_needs_escaping() {
        for len in 0..56 {
            for filler in [b'a', b' ', 0x7f, 0x80, 0xff, b'!', b'#', b'[', b']'] {
                let plain = vec![filler; len];
                assert!(clean(&plain), "{len} x {filler:#x}");
                for at in 0..len {
                    for special in [0u8, b'\n', 0x1f, b'"', b'\\'] {
                        let mut bytes = plain.clone();
                        bytes[at] = special;
                        assert!(!clean(&bytes), "{special:#x} at {at} of {len}");
                    }
                }
            }
        }
    }

    #[derive(Serialize)]
    struct Doc<'a> {
        title: &'a str,
        items: &'a [Item],
        after: Vec<u8>,
    }

    /// Byte-identical to serde_json's pretty printer, for every number of elements (none, one
    /// chunk, several chunks and rounds), escaped newlines and quotes in strings, empty containers.
    #[test]
    fn same_bytes_as_serde_json() {
        for n in [0usize, 1, 3, 17, 64, 256, 300, 1100] {
            let items: Vec<Item> = (0..n)
                .map(|i| Item {
                    name: format!("item {i}\nwith \"quotes\""),
                    tags: (0..i % 3).map(|t| t.to_string()).collect(),
                    nested: vec![vec![], vec![i as u32, 2]],
                    empty: Default::default(),
                })
                .collect();
            let doc = Doc {
                title: "t\"",
                items: &items,
                after: vec![1, 2],
            };
            let expected = serde_json::to_vec_pretty(&doc).expect("serialises");
            let mut plan = Plan::default();
            let mut o = ObjectWriter::new(&mut plan).expect("writes");
            o.field("title", doc.title).expect("writes");
            o.par_array("items", doc.items).expect("writes");
            o.field("after", &doc.after).expect("writes");
            o.end().expect("writes");
            let mut out = Vec::new();
            plan.write_to(&mut out).expect("writes");
            assert_eq!(
                String::from_utf8_lossy(&out),
                String::from_utf8_lossy(&expected),
                "{n} items"
            );
        }
        let mut out = Vec::new();
        ObjectWriter::new(&mut out)
            .expect("writes")
            .end()
            .expect("writes");
        assert_eq!(out, b"{}");
    }
}
