//! Short licence references that are not in the SPDX list but are everywhere in real packages
//! ("Licensed under either of Apache License, Version 2.0 or MIT license at your option",
//! "released under the MIT license"). Written as SPDX templates, so they are compiled and
//! aligned exactly like the list's own texts; `@` stands for a link or file name that may sit
//! there (up to about 40 words).

/// (SPDX expression, template).
pub(crate) const REFERENCES: &[(&str, &str)] = &[
    (
        "Apache-2.0 OR MIT",
        "Licensed under either of @ Apache License, Version 2.0 @ or @ MIT license @ at your option.",
    ),
    (
        "MIT OR Apache-2.0",
        "Licensed under either of @ MIT license @ or @ Apache License, Version 2.0 @ at your option.",
    ),
    (
        "Apache-2.0 OR MIT",
        "Licensed under the Apache License, Version 2.0 @ or the MIT license @ , at your option.",
    ),
    (
        "MIT OR Apache-2.0",
        "Licensed under the MIT license @ or the Apache License, Version 2.0 @ , at your option.",
    ),
    (
        "MIT",
        "<<var;name=\"verb\";original=\"licensed\";match=\"licensed|released|distributed|available|provided\">> under the <<beginOptional>>terms of the<<endOptional>> MIT license",
    ),
    (
        "Apache-2.0",
        "<<var;name=\"verb\";original=\"licensed\";match=\"licensed|released|distributed|available|provided\">> under the <<beginOptional>>terms of the<<endOptional>> Apache License, Version 2.0",
    ),
    (
        "ISC",
        "<<var;name=\"verb\";original=\"licensed\";match=\"licensed|released|distributed|available|provided\">> under the <<beginOptional>>terms of the<<endOptional>> ISC license",
    ),
    (
        "MIT",
        "MIT License http://www.opensource.org/licenses/mit-license.php",
    ),
    (
        "MIT",
        "This source code is licensed under the MIT license found in the LICENSE file in the root directory of this source tree.",
    ),
    (
        "BSD-3-Clause",
        "Use of this source code is governed by a BSD-style license that can be found in the LICENSE file.",
    ),
    (
        "BSD-2-Clause OR Apache-2.0 OR MIT",
        "Licensed under the 2-Clause BSD License @ , Apache License, Version 2.0 @ , or the MIT license @ , at your option.",
    ),
    (
        "BSD-3-Clause OR GPL-2.0-only",
        "This source code is licensed under both the BSD-style license (found in the LICENSE file in the root directory of this source tree) and the GPLv2 (found in the COPYING file in the root directory of this source tree). You may select, at your option, one of the above-listed licenses.",
    ),
];

/// The template with each `@` replaced by a variable part.
pub(crate) fn template(t: &str) -> String {
    t.replace(
        '@',
        "<<var;name=\"link\";original=\"\";match=\".{0,160}\">>",
    )
}
