/**
 * Request and response schemas. The same zod objects validate requests and, through
 * `z.toJSONSchema`, produce the OpenAPI components (src/http/openapi.ts), so docs cannot drift.
 * Every schema that appears in the document is registered in `apiRegistry` with its component id.
 */
import { z } from "zod";

export const apiRegistry = z.registry<{ id: string; description?: string }>();

function reg<T extends z.ZodType>(schema: T, id: string, description?: string): T {
  apiRegistry.add(schema, description === undefined ? { id } : { id, description });
  return schema;
}

const isoDateTime = z.iso.datetime({ offset: true });

/** E.164 or national digits with common formatting; the engine does the real number check. */
export const PhoneNumber = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ().-]{1,30}$/, {
    message: "must be a phone number: digits, optional leading +",
    abort: true,
  })
  .refine((s) => {
    const digits = s.replace(/\D/g, "").length;
    return digits >= 3 && digits <= 20;
  }, "must have 3 to 20 digits")
  .meta({ examples: ["+33612345678"] });

export const SendMessageRequest = reg(
  z
    .object({
      to: PhoneNumber,
      text: z.string().min(1).max(4000),
      category: z
        .enum(["transactional", "conversational", "marketing"])
        .optional()
        .describe("Default transactional; marketing is subject to quiet hours and opt-out rules"),
      modem: z.string().min(1).max(64).optional().describe("Configured modem name to send from"),
      sendAt: isoDateTime.optional().describe("Do not send before this instant"),
      validUntil: isoDateTime.optional().describe("Give up (status expired) after this instant"),
      statusReport: z.boolean().optional().describe("Request a delivery report (TP-SRR)"),
      smart: z.boolean().optional().describe("Replace look-alike punctuation that would force UCS-2"),
    })
    .strict()
    .refine((m) => !m.sendAt || !m.validUntil || Date.parse(m.validUntil) > Date.parse(m.sendAt), {
      message: "must be later than sendAt",
      path: ["validUntil"],
    }),
  "SendMessageRequest",
);
export type SendMessageRequest = z.infer<typeof SendMessageRequest>;

export const MAX_BATCH = 1000;

export const BatchRequest = reg(
  z.object({ messages: z.array(SendMessageRequest).min(1).max(MAX_BATCH) }).strict(),
  "BatchRequest",
  "Up to 1000 independent messages; each is validated and enqueued on its own.",
);

export const Coding = z.enum(["gsm7", "ucs2", "8bit"]);

export const AcceptedMessage = reg(
  z.object({ id: z.string(), status: z.string(), coding: Coding, parts: z.number().int() }),
  "AcceptedMessage",
);

const ProblemFieldError = z.object({ field: z.string(), message: z.string() });

export const Problem = reg(
  z
    .object({
      type: z.string(),
      title: z.string(),
      status: z.number().int(),
      detail: z.string().optional(),
      instance: z.string().optional(),
      errors: z.array(ProblemFieldError).optional(),
    })
    .loose(),
  "Problem",
  "RFC 9457 problem details",
);

export const BatchResult = reg(
  z.object({
    accepted: z.number().int(),
    rejected: z.number().int(),
    results: z.array(
      z.object({
        index: z.number().int(),
        ok: z.boolean(),
        message: AcceptedMessage.optional(),
        problem: Problem.optional(),
      }),
    ),
  }),
  "BatchResult",
);

export const MessageStatusEnum = z.enum([
  "scheduled",
  "queued",
  "sending",
  "sent",
  "delivered",
  "undelivered",
  "failed",
  "unknown",
  "canceled",
  "expired",
  "received",
]);

export const Message = reg(
  z.object({
    id: z.string(),
    direction: z.enum(["outbound", "inbound"]),
    contact: z.string(),
    text: z.string().nullable(),
    status: MessageStatusEnum,
    coding: Coding.nullable(),
    category: z.string().nullable(),
    categorySource: z
      .string()
      .nullable()
      .describe(
        "Who set the category: api-key:<name> (named in the request), default (omitted: transactional), " +
          "keyword-reply, agent:<name> or import; null when not recorded (older messages, list items)",
      ),
    modem: z.string().nullable(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    sendAt: isoDateTime.nullable().optional(),
    validUntil: isoDateTime.nullable().optional(),
    parts: z.array(
      z.object({
        seq: z.number().int(),
        modem: z.string().nullable(),
        mr: z.number().int().nullable(),
        status: z.string(),
        error: z.string().nullable(),
      }),
    ),
    events: z
      .array(z.object({ at: isoDateTime, type: z.string(), detail: z.string().nullable().optional() }))
      .optional(),
  }),
  "Message",
);

export const MessageList = reg(
  z.object({
    items: z.array(Message),
    next: z.string().nullable().describe("URL of the next page, null on the last page"),
  }),
  "MessageList",
);

export const ListMessagesQuery = z
  .object({
    direction: z.enum(["outbound", "inbound"]).optional(),
    status: MessageStatusEnum.optional(),
    contact: z.string().min(1).max(40).optional(),
    modem: z.string().min(1).max(64).optional(),
    since: isoDateTime.optional(),
    until: isoDateTime.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).max(2048).optional(),
  })
  .strict();

export const PreviewRequest = reg(
  z
    .object({
      text: z.string().max(10_000),
      smart: z.boolean().optional(),
      coding: z.enum(["auto", "gsm7", "ucs2"]).optional(),
      footer: z.string().max(200).optional().describe("Appended text (e.g. an opt-out line) counted too"),
    })
    .strict(),
  "PreviewRequest",
);

export const PreviewResult = reg(
  z.object({
    coding: Coding,
    parts: z.number().int(),
    units: z.number().int(),
    remainingInLastPart: z.number().int(),
    perPart: z.number().int(),
    ucs2Forcers: z.array(z.string()),
    text: z.string(),
  }),
  "PreviewResult",
);

export const InjectRequest = reg(
  z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("inbound"), from: PhoneNumber, text: z.string().min(1).max(4000) }).strict(),
    z
      .object({
        kind: z.literal("status-report"),
        messageId: z.string().min(1).max(128).optional(),
        mr: z.number().int().min(0).max(255).optional(),
        status: z.enum(["delivered", "failed", "pending"]),
      })
      .strict()
      .refine((r) => r.messageId !== undefined || r.mr !== undefined, {
        message: "messageId or mr is required",
        path: ["messageId"],
      }),
  ]),
  "InjectRequest",
);
