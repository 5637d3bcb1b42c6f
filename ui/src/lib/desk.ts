// The coordinator's desk as the Administration section shows it: who may see and change
// what, and the audit log as a table to save. The server judges every request; these
// only decide what the screen offers.
import type { AuditView } from "./generated/AuditView";
import type { DeviceView } from "./generated/DeviceView";
import type { MessageId } from "./generated/MessageId";
import type { Role } from "./generated/Role";
import type { Table } from "./generated/Table";
import type { UserView } from "./generated/UserView";
import type { Locale } from "./generated/Locale";
import type { OfficeSettings } from "./generated/OfficeSettings";
import type { MessageArgs } from "./fluent";
import { formatDateTime } from "./format";

type Translate = (id: MessageId, args?: MessageArgs) => string;

export const ROLES: readonly Role[] = ["consultant", "coordinator", "admin"];

/** What a role may do at the desk: a coordinator reads, an administrator also changes. */
export function deskAccess(role: Role | null | undefined): { read: boolean; change: boolean } {
  return { read: role === "coordinator" || role === "admin", change: role === "admin" };
}

export function roleName(role: Role): MessageId {
  return `role-${role}`;
}

/** The audit actions the server writes, each with its own name on screen. */
export const AUDIT_ACTIONS = [
  "sign-in",
  "sign-in-failed",
  "sign-in-locked",
  "push",
  "blob-stored",
  "device-revoke",
  "user-add",
  "user-disable",
  "user-enable",
  "user-role",
  "user-password",
  "org-add",
  "repull",
  "office-settings",
  "record-create",
  "record-edit",
  "record-delete",
  "record-restore",
  "export",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** An action's name on screen; an action this app does not know shows as the server wrote it. */
export function actionName(action: string, t: Translate): string {
  return (AUDIT_ACTIONS as readonly string[]).includes(action) ? t(`audit-action-${action as AuditAction}`) : action;
}

/** A user as named in lists: their name, or their e-mail when the name is empty. */
export function userName(users: readonly UserView[], id: string | null): string {
  if (id === null) return "";
  const user = users.find((u) => u.id === id);
  return user ? user.name || user.email : id;
}

/** Who made an audit entry: the user, or the server's console when no user or laptop did. */
export function actorName(entry: AuditView, users: readonly UserView[], t: Translate): string {
  return entry.user === null && entry.device === null ? t("admin-audit-terminal") : userName(users, entry.user);
}

export function deviceName(devices: readonly DeviceView[], id: string | null): string {
  if (id === null) return "";
  return devices.find((d) => d.id === id)?.name ?? id;
}

/** The few words of an entry's detail worth showing (an e-mail, a role, counts); a
 * laptop named by its id shows by its name, a record by its label where this laptop
 * holds it (`labels`: record id → label). */
export function detailText(
  detail: unknown,
  devices: readonly DeviceView[] = [],
  labels: ReadonlyMap<string, string> = new Map(),
): string {
  if (detail === null || typeof detail !== "object") return "";
  const shown = (k: string, v: unknown) =>
    k === "device" ? deviceName(devices, String(v)) : k === "record" ? (labels.get(String(v)) ?? String(v)) : String(v);
  // A change's stamp says again what the laptop's time column shows.
  return Object.entries(detail as Record<string, unknown>)
    .filter(([k, v]) => v !== null && typeof v !== "object" && k !== "hlc")
    .map(([k, v]) => `${k}: ${shown(k, v)}`)
    .join(", ");
}

/** The record an audit entry names (a pushed change's), if any. */
export function auditRecord(entry: AuditView): string | null {
  const detail = entry.detail as Record<string, unknown> | null;
  const record = detail && typeof detail === "object" ? detail.record : null;
  return typeof record === "string" ? record : null;
}

/** Midnight starting the ISO day `iso` plus `plusDays`, on this laptop's calendar (ms):
 * the audit's period filters count days as the user lives them, not in UTC. */
export function localMidnightMs(iso: string, plusDays = 0): number {
  const [y = 1970, m = 1, d = 1] = iso.split("-").map(Number);
  return new Date(y, m - 1, d + plusDays).getTime();
}

/** The audit entries on screen as a table to save (CSV or XLSX). */
export function auditTable(
  entries: readonly AuditView[],
  users: readonly UserView[],
  devices: readonly DeviceView[],
  t: Translate,
  locale: Locale,
  labels: ReadonlyMap<string, string> = new Map(),
): Table {
  const text = (value: string) => (value === "" ? { kind: "empty" as const } : { kind: "text" as const, value });
  return {
    title: t("admin-audit-title"),
    columns: [
      t("admin-audit-seq"),
      t("admin-audit-arrived"),
      t("admin-audit-device-time"),
      t("admin-audit-user"),
      t("admin-audit-device"),
      t("admin-audit-action"),
      t("admin-audit-detail"),
      t("admin-audit-hash"),
    ],
    rows: entries.map((e) => [
      { kind: "integer" as const, value: e.seq },
      text(formatDateTime(e.atMs, locale)),
      text(e.deviceTimeMs === null ? "" : formatDateTime(e.deviceTimeMs, locale)),
      text(actorName(e, users, t)),
      text(deviceName(devices, e.device)),
      text(actionName(e.action, t)),
      text(detailText(e.detail, devices, labels)),
      text(e.hash),
    ]),
  };
}

/** The office-wide settings as the form edits them: every value as typed. */
export interface OfficeForm {
  hotline: string;
  officeAddress: string;
  maxIdleMinutes: string;
  wipeAfterDays: string;
  remindUnsyncedDays: string;
}

export function officeForm(settings: OfficeSettings): OfficeForm {
  return {
    hotline: settings.hotline ?? "",
    officeAddress: settings.officeAddress ?? "",
    maxIdleMinutes: settings.maxIdleMinutes?.toString() ?? "",
    wipeAfterDays: settings.wipeAfterDays?.toString() ?? "",
    remindUnsyncedDays: settings.remindUnsyncedDays?.toString() ?? "",
  };
}

/** The settings a form asks for, or the field whose number does not read (the server
 * checks ranges and the rest, naming the field the same way). Empty means unset. */
export function officeFromForm(form: OfficeForm): { settings: OfficeSettings } | { field: keyof OfficeForm } {
  const whole = (text: string): number | null | undefined => {
    const trimmed = text.trim();
    if (trimmed === "") return null;
    return /^\d{1,6}$/.test(trimmed) ? Number(trimmed) : undefined;
  };
  const maxIdleMinutes = whole(form.maxIdleMinutes);
  if (maxIdleMinutes === undefined) return { field: "maxIdleMinutes" };
  const wipeAfterDays = whole(form.wipeAfterDays);
  if (wipeAfterDays === undefined) return { field: "wipeAfterDays" };
  const remindUnsyncedDays = whole(form.remindUnsyncedDays);
  if (remindUnsyncedDays === undefined) return { field: "remindUnsyncedDays" };
  return {
    settings: {
      hotline: form.hotline.trim() || null,
      officeAddress: form.officeAddress.trim() || null,
      maxIdleMinutes,
      wipeAfterDays,
      remindUnsyncedDays,
    },
  };
}
