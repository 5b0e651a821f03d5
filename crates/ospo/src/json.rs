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
        w.write_all(if first { b"\n" } else { b",\n" })?;
        indent(w, self.level)
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

/// A top-level pretty JSON object, written field by field.
pub struct ObjectWriter<'w, W: ?Sized + Write> {
    w: &'w mut W,
    fields: usize,
}

impl<'w, W: ?Sized + Write> ObjectWriter<'w, W> {
    pub fn new(w: &'w mut W) -> io::Result<Self> {
        w.write_all(b"{")?;
        Ok(ObjectWriter { w, fields: 0 })
    }

    fn key(&mut self, key: &str) -> serde_json::Result<()> {
        self.w
            .write_all(if self.fields == 0 { b"\n  " } else { b",\n  " })
            .map_err(serde_json::Error::io)?;
        serde_json::to_writer(&mut *self.w, key)?;
        self.w.write_all(b": ").map_err(serde_json::Error::io)?;
        self.fields += 1;
        Ok(())
    }

    pub fn field<T: ?Sized + Serialize>(&mut self, key: &str, value: &T) -> serde_json::Result<()> {
        self.key(key)?;
        to_writer_at(self.w, value, 1)
    }

    /// An array field whose elements are rendered on every core, a few at a time (enough to
    /// keep the cores busy, few enough to bound memory), and written in order.
    pub fn par_array<T: Serialize + Sync>(
        &mut self,
        key: &str,
        items: &[T],
    ) -> serde_json::Result<()> {
        self.key(key)?;
        let io = serde_json::Error::io;
        if items.is_empty() {
            return self.w.write_all(b"[]").map_err(io);
        }
        self.w.write_all(b"[").map_err(io)?;
        let round = rayon::current_num_threads().max(1) * 2;
        let mut first = true;
        for chunk in items.chunks(round) {
            let rendered: Vec<serde_json::Result<Vec<u8>>> = chunk
                .par_iter()
                .map(|item| {
                    let mut buf = Vec::with_capacity(1 << 12);
                    to_writer_at(&mut buf, item, 2)?;
                    Ok(buf)
                })
                .collect();
            for buf in rendered {
                self.w
                    .write_all(if first { b"\n    " } else { b",\n    " })
                    .map_err(io)?;
                self.w.write_all(&buf?).map_err(io)?;
                first = false;
            }
        }
        self.w.write_all(b"\n  ]").map_err(io)
    }

    pub fn end(self) -> io::Result<()> {
        self.w
            .write_all(if self.fields == 0 { b"}" } else { b"\n}" })
    }
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
    /// round, several rounds), escaped newlines and quotes in strings, empty containers.
    #[test]
    fn same_bytes_as_serde_json() {
        for n in [0usize, 1, 3, 17, 64] {
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
            let mut out = Vec::new();
            let mut o = ObjectWriter::new(&mut out).expect("writes");
            o.field("title", doc.title).expect("writes");
            o.par_array("items", doc.items).expect("writes");
            o.field("after", &doc.after).expect("writes");
            o.end().expect("writes");
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
