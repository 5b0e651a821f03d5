//! Short licence references that are not in the SPDX list but are everywhere in real packages
//! ("Licensed under either of Apache License, Version 2.0 or MIT license at your option",
//! "released under the MIT license"). Written as SPDX templates, so they are compiled and
//! aligned exactly like the list's own texts; `@` stands for a link or file name that may sit
//! there (up to about 40 words).

/// (SPDX expression, template). No optional parts: an optional "the terms of" next to a required
/// "the" gives the aligner two equally good paths, so such variants are separate rules.
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
        "<<var;name=\"verb\";original=\"licensed\";match=\"licensed|released|distributed|available|provided\">> under the MIT license",
    ),
    (
        "MIT",
        "<<var;name=\"verb\";original=\"licensed\";match=\"licensed|released|distributed|available|provided\">> under the terms of the MIT license",
    ),
    (
        "Apache-2.0",
        "<<var;name=\"verb\";original=\"licensed\";match=\"licensed|released|distributed|available|provided\">> under the Apache License, Version 2.0",
    ),
    (
        "Apache-2.0",
        "<<var;name=\"verb\";original=\"licensed\";match=\"licensed|released|distributed|available|provided\">> under the terms of the Apache License, Version 2.0",
    ),
    (
        "ISC",
        "<<var;name=\"verb\";original=\"licensed\";match=\"licensed|released|distributed|available|provided\">> under the ISC license",
    ),
    (
        "ISC",
        "<<var;name=\"verb\";original=\"licensed\";match=\"licensed|released|distributed|available|provided\">> under the terms of the ISC license",
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
    ("BSD-3-Clause", "BSD 3-Clause license"),
    // CPython's files in pip, urllib3, … (ScanCode reads them as Python-2.0 too).
    (
        "Python-2.0",
        "Licensed to the Python Software Foundation under a contributor agreement.",
    ),
    ("BSD-2-Clause", "BSD 2-Clause license"),
    (
        "Unlicense OR MIT",
        "This project is dual-licensed under the Unlicense and MIT licenses.",
    ),
    (
        "BSD-3-Clause",
        "Distributed under the terms of the Modified BSD License.",
    ),
    // Pygments' module docstrings; its LICENSE is BSD-3-Clause.
    (
        "BSD-3-Clause",
        ":copyright: @ :license: BSD, see LICENSE for details.",
    ),
    (
        "Apache-2.0 OR BSD-3-Clause",
        "This file is dual licensed under the terms of the Apache License, Version 2.0, and the BSD License. See the LICENSE file in the root of this repository for complete details.",
    ),
    (
        "Apache-2.0 OR BSD-3-Clause",
        "This software is made available under the terms of *either* of the licenses found in LICENSE.APACHE or LICENSE.BSD.",
    ),
    (
        "Apache-2.0 OR MIT",
        "This software is made available under the terms of *either* of the licenses found in LICENSE.APACHE2 or LICENSE.MIT.",
    ),
];

/// Licence headers the SPDX list has no header template for: (expression, template), reported
/// as headers.
pub(crate) const HEADERS: &[(&str, &str)] = &[
    (
        "LGPL-3.0-or-later",
        "@ is free software: you can redistribute it and/or modify it under the terms of the GNU Lesser General Public License as published by the Free Software Foundation, either version 3 of the License, or (at your option) any later version. @ is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY; without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE. See the GNU Lesser General Public License for more details. You should have received a copy of the GNU Lesser General Public License along with @",
    ),
    (
        "LGPL-3.0-only",
        "@ is free software: you can redistribute it and/or modify it under the terms of the GNU Lesser General Public License as published by the Free Software Foundation, version 3 of the License. @ is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY; without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE. See the GNU Lesser General Public License for more details. You should have received a copy of the GNU Lesser General Public License along with @",
    ),
];

/// The template with each `@` replaced by a variable part.
pub(crate) fn template(t: &str) -> String {
    t.replace(
        '@',
        "<<var;name=\"link\";original=\"\";match=\".{0,160}\">>",
    )
}
