// The two sites of the demo's stack config `srm:sites`: site A (where the protected VMs run; also the
// single-site settings `srm:host` and the rest) and site B (the recovery site, with an SRM server of its own).

/** Name of site A in `srm:sites`. */
export const SITE_A = "siteA";
/** Name of site B in `srm:sites`. */
export const SITE_B = "siteB";
