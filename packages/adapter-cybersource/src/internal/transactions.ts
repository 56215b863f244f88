/**
 * Payment transactions shared by the Payments and Authorization ports, one concept a module: values
 * (`values`), the key on the wire (`keys`), request bodies (`requests`), TSS reads (`records`), search
 * by merchant reference (`search`), creation at most once (`create`), follow-ons at most once
 * (`followOns`).
 */
export * from "./create.js"
export * from "./followOns.js"
export * from "./keys.js"
export * from "./records.js"
export * from "./requests.js"
export * from "./resolved.js"
export * from "./search.js"
export * from "./values.js"
