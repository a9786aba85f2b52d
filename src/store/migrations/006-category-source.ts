/**
 * Migration 6: who set an outbound message's category (issue #7: "recorded with who set it").
 * Values: `api-key:<name>` (the API request named the category), `default` (it did not: the API
 * applied transactional), `keyword-reply` (STOP/HELP answers), `agent:<name>`, `import`. Rows
 * written before this migration keep NULL: nobody recorded it then, and guessing would be a lie.
 */
export const m006CategorySource = {
  version: 6,
  name: "category-source",
  sql: "ALTER TABLE messages ADD COLUMN category_source TEXT;",
};
