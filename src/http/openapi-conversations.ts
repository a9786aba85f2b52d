/**
 * OpenAPI operations of /v1/conversations, in the shape src/http/openapi.ts lists its own (`Op`),
 * merged there. Schemas are the zod objects of schemas-conversations.ts (importing it registers them).
 */
import type { Op } from "./openapi.js";
import { GetConversationQuery, ListConversationsQuery, StatsQuery } from "./schemas-conversations.js";

const tag = "conversations";

export const CONVERSATION_OPS: readonly Op[] = [
  {
    method: "get",
    path: "/v1/conversations",
    summary:
      "List threads, newest activity first (filters: status, assigned, unassigned, flagged, contact, q)",
    tag,
    scope: "read",
    query: ListConversationsQuery,
    ok: { status: 200, schema: "ConversationList" },
    problems: [400, 422],
  },
  {
    method: "get",
    path: "/v1/conversations/stats",
    summary: "KPIs over a window: first response time, resolution time, first contact resolution, per agent",
    tag,
    scope: "read",
    query: StatsQuery,
    ok: { status: 200, schema: "ConversationStats" },
    problems: [422],
  },
  {
    method: "get",
    path: "/v1/conversations/{id}",
    summary: "One thread: contact, both directions' messages in time order, open agent flags, timeline",
    tag,
    scope: "read",
    query: GetConversationQuery,
    ok: { status: 200, schema: "ConversationDetail" },
    problems: [404, 422],
  },
  {
    method: "post",
    path: "/v1/conversations/{id}/messages",
    summary: "Reply (category conversational, from the thread's SIM); the thread becomes pending",
    tag,
    scope: "send",
    body: "ConversationReplyRequest",
    ok: { status: 202, schema: "ConversationReply" },
    problems: [403, 404, 409],
  },
  {
    method: "post",
    path: "/v1/conversations/{id}/assign",
    summary: "Assign the thread to an agent (null unassigns)",
    tag,
    scope: "send",
    body: "ConversationAssignRequest",
    ok: { status: 200, schema: "Conversation" },
    problems: [404],
  },
  {
    method: "post",
    path: "/v1/conversations/{id}/resolve",
    summary:
      "Resolve the thread (idempotent); 409 while the contact has open agent flags unless flagsHandled",
    tag,
    scope: "send",
    body: "ConversationResolveRequest",
    bodyOptional: true,
    ok: { status: 200, schema: "Conversation" },
    problems: [404, 409],
  },
  {
    method: "post",
    path: "/v1/conversations/{id}/reopen",
    summary: "Reopen a resolved thread (a new cycle of first response and resolution)",
    tag,
    scope: "send",
    body: "ConversationReopenRequest",
    bodyOptional: true,
    ok: { status: 200, schema: "Conversation" },
    problems: [404, 409],
  },
  {
    method: "patch",
    path: "/v1/conversations/{id}/context",
    summary: "Merge fields into the thread's context (order, shop, ticket); null removes a key",
    tag,
    scope: "send",
    body: "ConversationContextPatch",
    ok: { status: 200, schema: "Conversation" },
    problems: [404],
  },
];
