// Package jsonstat decodes JSON-stat documents (https://json-stat.org) into
// a tidy, row-major Dataset and converts it to an Arrow record. It is the
// common shape of statistical data in grunnlag: PxWebApi (SSB, SCB),
// Eurostat and others answer in JSON-stat.
//
// # Accepted documents
//
// Decode accepts three kinds of top-level object:
//
//   - a JSON-stat 2.0 dataset: {"class":"dataset", "id":[...], "size":[...],
//     "dimension":{...}, "value":...};
//   - a JSON-stat 2.0 collection: {"class":"collection", "link":{"item":[...]}}.
//     Items that embed a dataset (they have "id"/"dimension"/"value") are
//     decoded, in item order, with Name set to the item position ("0", "1",
//     ...; "1/0" inside a nested collection). Items that only link to a
//     dataset by href are skipped, not an error;
//   - a JSON-stat 1.x bundle: {"name": {dataset}, ...}. Each member whose
//     value is an object is a dataset with Name = its key, in file order.
//     1.x datasets give the dimension ids, sizes and roles inside the
//     dimension object: "dimension": {"id":[...], "size":[...],
//     "role":{"time":[...]}, ...}.
//
// A top-level object with dataset members but no "class" is read as a
// dataset. Other classes (e.g. "dimension") are errors.
//
// # Dimensions and categories
//
// "id" and "size" must have the same length and every id must have a
// dimension object. category.index may be
//
//	an array:  "index": ["AT", "BE"]          codes in order
//	an object: "index": {"AT": 0, "BE": 1}    code -> position; positions must be 0..n-1, each once
//	absent:                                   the keys of category.label in file order
//	                                          (a single-category dimension usually has just a label)
//
// The number of categories must equal the dimension's size. category.label
// gives labels (a category without one is labelled with its code);
// category.unit (label, symbol, position, decimals), category.child
// (hierarchy), dimension note and extension are kept. Roles (time, geo,
// metric; several ids per role are allowed, as in the galicia sample) must
// name dimensions in id.
//
// # Values
//
// "value" is row-major: the last dimension in id varies fastest, so the
// cell at category positions (c0, c1, ..., ck) is at
// ((c0*s1 + c1)*s2 + ...)*sk + ck (see Dataset.Index). It may be
//
//	an array:  [1.5, null, 3]                 exactly Size() entries
//	an object: {"0": 1.5, "2": 3}             sparse: keys are flat indices, absent keys are missing
//	[] or absent or null                      metadata only (PxWebApi /metadata): Values is nil, HasValues is false
//
// Entries are numbers (decoded as float64) or null (missing). Strings,
// booleans, objects and arrays are errors naming the dataset and the flat
// index: the json-stat.org sample order.json, whose values are the strings
// "A1B1C1", ..., is therefore rejected with an *Error whose Index is 0.
//
// "status" may be a string (applies to every cell), an array with Size()
// entries, an array with one entry (applies to every cell, the 1.x
// convention), or an object keyed by flat index; null entries mean no
// status. A cell is missing (Present false, Values 0) when its value is
// null or absent, or when its status is a missing status (see
// MissingStatus: ".", "..", "...", ":", "-"); other statuses ("e", "p",
// "r", ...) are annotations that keep the value.
//
// # Errors
//
// Structural problems (id/size length mismatch, category count differing
// from size, duplicate or out-of-range index positions, value length
// differing from the cell count, sparse keys outside the cells, values or
// statuses of the wrong type, a cell given twice in a sparse value or
// status object) are *Error values naming the dataset, dimension and
// index. Malformed JSON is a *SyntaxError naming its byte offset; input
// that ends early is io.ErrUnexpectedEOF and a read error is returned as
// it is, both wrapped with the offset. An object that
// gives a key twice, which encoding/json would accept keeping the last, is
// a *DuplicateKeyError naming the key and the byte just past it; for a
// document starting {"version":"2.0","class":"dataset","label":"a","label":
//
//	jsonstat: byte 54: key "label" given twice in one object
//
// A UTF-8 byte-order mark before the document (written by some Windows
// tools) is skipped; byte offsets still count it.
//
// # Size limit
//
// A decoded dataset holds one entry per cell of its declared cube, so a
// small file whose sparse value object (or single status string) declares
// a large cube would cost memory out of all proportion to its size. A
// document whose datasets together declare more than DefaultMaxCells
// (10 000 000) cells is refused before anything is allocated, with an
// *Error of class ErrTooManyCells naming each dimension and its size;
// DecodeWith takes a higher limit.
//
// # Streaming
//
// Decode reads from an io.Reader in one pass, holding the input only in a
// 64 KiB window. The small members are walked token by token, as with
// json.Decoder.Token; the value and status members, which hold one entry
// per cell, are scanned straight from the window into the columns,
// checking the JSON syntax on the way. Numbers are converted exactly as
// strconv.ParseFloat does, with a fast path for integers and decimals of
// up to 2^53 in their digits. Decode accepts the JSON that encoding/json's
// Decoder accepts, no more.
package jsonstat
