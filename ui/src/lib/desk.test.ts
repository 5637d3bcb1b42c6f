import { describe, expect, it } from "vitest";
import {
  actionName,
  AUDIT_ACTIONS,
  auditTable,
  deskAccess,
  detailText,
  auditRecord,
  localMidnightMs,
  officeForm,
  officeFromForm,
  userName,
} from "./desk";
import type { AuditView } from "./generated/AuditView";
import type { DeviceView } from "./generated/DeviceView";
import type { UserView } from "./generated/UserView";
import { t } from "./i18n.svelte";

const users: UserView[] = [
  {
    id: "u-1",
    email: "ilze@example.lv",
    name: "Ilze Kalniņa",
    role: "admin",
    disabled: false,
    lockedUntilMs: null,
    createdAtMs: 0,
    isYou: true,
  },
  {
    id: "u-2",
    email: "janis@example.lv",
    name: "",
    role: "consultant",
    disabled: true,
    lockedUntilMs: null,
    createdAtMs: 0,
    isYou: false,
  },
];
const devices: DeviceView[] = [
  {
    id: "d-1",
    user: "u-1",
    name: "Rēzeknes klēpjdators",
    createdAtMs: 0,
    revokedAtMs: null,
    lastSeenMs: null,
    appliedSeq: 3,
    pulledSeq: 0,
    appVersion: "0.1.0",
    pendingChanges: 2,
    isThisLaptop: false,
  },
];

describe("the coordinator's desk", () => {
  it("lets a coordinator read and an administrator also change; a consultant neither", () => {
    expect(deskAccess("consultant")).toEqual({ read: false, change: false });
    expect(deskAccess(null)).toEqual({ read: false, change: false });
    expect(deskAccess("coordinator")).toEqual({ read: true, change: false });
    expect(deskAccess("admin")).toEqual({ read: true, change: true });
  });

  it("names every known action in Latvian, and shows an unknown one as the server wrote it", () => {
    for (const action of AUDIT_ACTIONS) expect(actionName(action, t)).not.toContain("audit-action");
    expect(actionName("user-role", t)).toBe("Loma mainīta");
    expect(actionName("something-new", t)).toBe("something-new");
  });

  it("names users by name, by e-mail when the name is empty, and keeps an unknown id", () => {
    expect(userName(users, "u-1")).toBe("Ilze Kalniņa");
    expect(userName(users, "u-2")).toBe("janis@example.lv");
    expect(userName(users, "u-9")).toBe("u-9");
    expect(userName(users, null)).toBe("");
  });

  it("shows an entry's plain details and leaves out nested ones", () => {
    expect(detailText({ email: "a@b.lv", role: "admin", nested: { x: 1 } })).toBe("email: a@b.lv, role: admin");
    expect(detailText(null)).toBe("");
    expect(detailText({ device: "d-1" }, devices)).toBe("device: Rēzeknes klēpjdators");
    const labels = new Map([["r-1", "Seminārs Ludzā"]]);
    const change = { record: "r-1", collection: "seminar", fields: ["title"], hlc: "x" };
    expect(detailText(change, devices, labels)).toBe("record: Seminārs Ludzā, collection: seminar");
    expect(detailText({ record: "r-2" }, devices, labels)).toBe("record: r-2");
    const entry: AuditView = {
      seq: 1,
      atMs: 0,
      deviceTimeMs: null,
      user: null,
      device: null,
      action: "record-edit",
      detail: change,
      prevHash: "",
      hash: "",
    };
    expect(auditRecord(entry)).toBe("r-1");
    expect(auditRecord({ ...entry, detail: { email: "a@b.lv" } })).toBe(null);
  });

  it("counts a period's days on the laptop's calendar, through the last day named", () => {
    expect(localMidnightMs("2026-12-07")).toBe(new Date(2026, 11, 7).getTime());
    expect(localMidnightMs("2026-12-31", 1)).toBe(new Date(2027, 0, 1).getTime());
  });

  it("saves the audit entries as a table with both times, names and the hash", () => {
    const entries: AuditView[] = [
      {
        seq: 7,
        atMs: Date.UTC(2026, 11, 7, 10, 0),
        deviceTimeMs: null,
        user: "u-1",
        device: "d-1",
        action: "device-revoke",
        detail: { device: "d-9" },
        prevHash: "a".repeat(64),
        hash: "b".repeat(64),
      },
    ];
    const table = auditTable(entries, users, devices, t, "lv");
    expect(table.columns).toHaveLength(8);
    const row = table.rows[0] ?? [];
    expect(row[0]).toEqual({ kind: "integer", value: 7 });
    expect(row[2]).toEqual({ kind: "empty" });
    expect(row[3]).toEqual({ kind: "text", value: "Ilze Kalniņa" });
    expect(row[4]).toEqual({ kind: "text", value: "Rēzeknes klēpjdators" });
    expect(row[5]).toEqual({ kind: "text", value: "Dators atsaukts" });
    expect(row[7]).toEqual({ kind: "text", value: "b".repeat(64) });
    const fromTheTerminal = auditTable([{ ...entries[0]!, user: null, device: null }], users, devices, t, "lv");
    expect(fromTheTerminal.rows[0]?.[3]).toEqual({ kind: "text", value: "servera konsole" });
  });
});

describe("the office-wide settings form", () => {
  it("round-trips settings, reads empty as unset and names a number that does not read", () => {
    const settings = {
      hotline: "116006",
      officeAddress: null,
      maxIdleMinutes: 10,
      wipeAfterDays: null,
      remindUnsyncedDays: 5,
    };
    expect(officeFromForm(officeForm(settings))).toEqual({ settings });
    const typed = {
      hotline: "  ",
      officeAddress: " Rīga ",
      maxIdleMinutes: " 15 ",
      wipeAfterDays: "",
      remindUnsyncedDays: "3",
    };
    expect(officeFromForm(typed)).toEqual({
      settings: {
        hotline: null,
        officeAddress: "Rīga",
        maxIdleMinutes: 15,
        wipeAfterDays: null,
        remindUnsyncedDays: 3,
      },
    });
    expect(officeFromForm({ ...typed, maxIdleMinutes: "desmit" })).toEqual({ field: "maxIdleMinutes" });
    expect(officeFromForm({ ...typed, wipeAfterDays: "-3" })).toEqual({ field: "wipeAfterDays" });
    expect(officeFromForm({ ...typed, remindUnsyncedDays: "7d" })).toEqual({ field: "remindUnsyncedDays" });
  });
});
