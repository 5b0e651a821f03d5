//! Pretty JSON written in pieces, so that a document's big arrays are rendered on every core
//! and streamed: the bytes are exactly those of `serde_json::to_writer_pretty` for the same
//! document (tests check it), only the work is shared out and never held whole in memory.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::ser::Formatter;

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
    const SPACES: &[u8; 64] = &[b' '; 64];
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

    pub fn end(self) -> io::Result<()> {
        if self.fields > 0 {
            self.w.write_all(b"\n")?;
            indent(self.w, self.level)?;
        }
        self.w.write_all(b"}")
    }
}

impl<'w, 'a> ObjectWriter<'w, Plan<'a>> {
    /// An array field whose elements are rendered later, on every core, [`CHUNK`] at a time
    /// (see [`Plan::write_to`]).
    pub fn par_array<T: Serialize + Sync>(
        &mut self,
        key: &str,
        items: &'a [T],
    ) -> serde_json::Result<()> {
        self.array_field(key, items.is_empty(), |plan, level| {
            for (n, chunk) in items.chunks(CHUNK).enumerate() {
                plan.defer(Box::new(move |buf: &mut Vec<u8>| {
                    for (i, x) in chunk.iter().enumerate() {
                        separator(buf, n == 0 && i == 0, level).map_err(serde_json::Error::io)?;
                        to_writer_at(buf, x, level)?;
                    }
                    Ok(())
                }));
            }
            Ok(())
        })
    }
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
        let io = serde_json::Error::io;
        if !self.text.is_empty() {
            self.segments
                .push(Segment::Text(std::mem::take(&mut self.text)));
        }
        let round = rayon::current_num_threads().max(1) * 4;
        let mut pool: Vec<Vec<u8>> = Vec::new();
        let mut segments = self.segments.into_iter().peekable();
        while segments.peek().is_some() {
            // Up to `round` pieces to render, with the text around them.
            let mut batch: Vec<Segment<'a>> = Vec::new();
            let mut renders = 0;
            while renders < round
                && let Some(s) = segments.next()
            {
                renders += usize::from(matches!(s, Segment::Render(_)));
                batch.push(s);
            }
            let mut buffers: Vec<Vec<u8>> = (0..renders)
                .map(|_| pool.pop().unwrap_or_default())
                .collect();
            let jobs: Vec<&Render<'a>> = batch
                .iter()
                .filter_map(|s| match s {
                    Segment::Render(r) => Some(r),
                    Segment::Text(_) => None,
                })
                .collect();
            buffers
                .par_iter_mut()
                .zip(jobs.par_iter())
                .try_for_each(|(buf, render)| {
                    buf.clear();
                    render(buf)
                })?;
            let mut rendered = buffers.into_iter();
            for s in &batch {
                match s {
                    Segment::Text(t) => w.write_all(t).map_err(io)?,
                    Segment::Render(_) => {
                        if let Some(buf) = rendered.next() {
                            w.write_all(&buf).map_err(io)?;
                            pool.push(buf);
                        }
                    }
                }
            }
        }
        Ok(())
    }
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
