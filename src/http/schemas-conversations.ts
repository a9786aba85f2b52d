/**
 * Request and response schemas of /v1/conversations, registered in the shared `apiRegistry` so the
 * OpenAPI components come from the very objects that validate requests (schemas.ts).
 */
import { z } from "zod";
import { apiRegistry } from "./schemas.js";

function reg<T extends z.ZodType>(schema: T, id: string, description?: string): T {
  apiRegistry.add(schema, description === undefined ? { id } : { id, description });
  return schema;
}

const isoDateTime = z.iso.datetime({ offset: true });
const Agent = z.string().trim().min(1).max(64);
const bool = z.enum(["true", "false"]).transform((v) => v === "true");
export const ThreadStatusEnum = z.enum(["open", "pending", "resolved"]);

export const ListConversationsQuery = z
  .object({
    status: ThreadStatusEnum.optional(),
    assigned: Agent.optional().describe("Only threads assigned to this agent"),
    unassigned: bool.optional().describe("true: only threads nobody is assigned to"),
    flagged: bool.optional().describe("true: only threads whose contact has an open agent flag"),
    contact: z.string().min(1).max(40).optional().describe("Phone number, any usual format"),
    q: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe("Text in the number, the contact's name or the context"),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).max(2048).optional(),
  })
  .strict()
  .refine((q) => !(q.assigned !== undefined && q.unassigned === true), {
    message: "cannot be combined with assigned",
    path: ["unassigned"],
  });
export type ListConversationsQuery = z.infer<typeof ListConversationsQuery>;

export const GetConversationQuery = z
  .object({ messages: z.coerce.number().int().min(1).max(500).default(100) })
  .strict();

export const ReplyRequest = reg(
  z
    .object({
      text: z.string().min(1).max(4000),
      agent: Agent.optional().describe("Author of the reply; default: the API key's name"),
      smart: z.boolean().optional().describe("Replace look-alike punctuation that would force UCS-2"),
    })
    .strict(),
  "ConversationReplyRequest",
);

export const AssignRequest = reg(
  z
    .object({
      agent: Agent.nullable().describe("The agent in charge; null unassigns"),
      by: Agent.optional().describe("Who assigns; default: the API key's name"),
    })
    .strict(),
  "ConversationAssignRequest",
);

export const ResolveRequest = reg(
  z
    .object({
      agent: Agent.optional(),
      flagsHandled: z
        .boolean()
        .optional()
        .describe(
          "The contact's open agent flags were handled: resolve them too (else 409 while any is open)",
        ),
    })
    .strict(),
  "ConversationResolveRequest",
);

export const ReopenRequest = reg(z.object({ agent: Agent.optional() }).strict(), "ConversationReopenRequest");

const ContextValue = z.union([z.string().max(500), z.number().finite(), z.boolean()]);

export const ContextPatch = reg(
  z
    .object({
      fields: z
        .record(z.string().min(1).max(64), ContextValue.nullable())
        .refine((f) => Object.keys(f).length >= 1 && Object.keys(f).length <= 50, "1 to 50 fields")
        .describe("Merged into the context; null removes a key"),
      agent: Agent.optional(),
    })
    .strict(),
  "ConversationContextPatch",
);

export const Conversation = reg(
  z.object({
    id: z.string(),
    contact: z.string(),
    contactName: z.string().nullable(),
    status: ThreadStatusEnum,
    assignedAgent: z.string().nullable(),
    modem: z.string().nullable().describe("The SIM the customer writes to; replies leave from it"),
    context: z.record(z.string(), ContextValue),
    flagged: z.boolean(),
    openFlags: z.number().int(),
    optedOut: z.boolean(),
    createdAt: isoDateTime,
    openedAt: isoDateTime.describe("Start of the current cycle"),
    lastInboundAt: isoDateTime.nullable(),
    lastOutboundAt: isoDateTime.nullable(),
    lastActivityAt: isoDateTime,
    firstResponseAt: isoDateTime.nullable(),
    firstResponseSeconds: z.number().nullable(),
    resolvedAt: isoDateTime.nullable(),
    reopenCount: z.number().int(),
    updatedAt: isoDateTime,
  }),
  "Conversation",
);

export const ConversationList = reg(
  z.object({ items: z.array(Conversation), next: z.string().nullable() }),
  "ConversationList",
);

export const ConversationDetail = reg(
  z.object({
    conversation: Conversation,
    contact: z
      .object({
        name: z.string().nullable(),
        timeZone: z.string(),
        fields: z.record(z.string(), z.string()),
        tags: z.array(z.string()),
      })
      .nullable(),
    messages: z.array(
      z.object({
        id: z.string(),
        direction: z.enum(["inbound", "outbound"]),
        text: z.string(),
        status: z.string(),
        category: z.string().nullable(),
        modem: z.string().nullable(),
        author: z.string().describe('"customer", "agent:<name>", "keyword-reply" or "api"'),
        at: isoDateTime,
      }),
    ),
    flags: z.array(
      z.object({
        id: z.number().int(),
        reason: z.string(),
        detail: z.string().nullable(),
        inboundMessageId: z.string(),
        dueAt: isoDateTime,
        createdAt: isoDateTime,
      }),
    ),
    timeline: z.array(
      z.object({
        type: z.string(),
        from: ThreadStatusEnum.nullable(),
        to: ThreadStatusEnum.nullable(),
        actor: z.string().nullable(),
        messageId: z.string().nullable(),
        detail: z.record(z.string(), z.unknown()).nullable(),
        at: isoDateTime,
      }),
    ),
  }),
  "ConversationDetail",
);

export const ConversationReply = reg(
  z.object({
    id: z.string().describe("The message id (GET /v1/messages/{id})"),
    status: z.string(),
    coding: z.string(),
    parts: z.number().int(),
    sendAt: isoDateTime.nullable(),
    conversation: Conversation,
  }),
  "ConversationReply",
);

export const StatsQuery = z
  .object({
    since: isoDateTime.optional().describe("Default: 7 days before until"),
    until: isoDateTime.optional().describe("Default: now"),
  })
  .strict();

const Distribution = z.object({
  count: z.number().int(),
  medianSeconds: z.number().nullable(),
  p90Seconds: z.number().nullable(),
});

export const ConversationStats = reg(
  z.object({
    since: isoDateTime,
    until: isoDateTime,
    current: z.object({
      open: z.number().int(),
      pending: z.number().int(),
      resolved: z.number().int(),
      unassigned: z.number().int().describe("Open or pending threads nobody is assigned to"),
      flagged: z.number().int(),
    }),
    opened: z.number().int().describe("Cycles opened in the window (first messages and reopenings)"),
    reopened: z.number().int(),
    firstResponse: Distribution.describe("First agent reply of each cycle (FRT)"),
    resolution: Distribution.extend({
      firstContactRate: z
        .number()
        .nullable()
        .describe("Share of resolutions of threads never reopened (FCR)"),
    }),
    agents: z.array(z.object({ agent: z.string(), replies: z.number().int(), resolved: z.number().int() })),
  }),
  "ConversationStats",
  "Conversation KPIs over a window: first response time, resolution time, first contact resolution",
);
