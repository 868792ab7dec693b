import { randomUUID } from "node:crypto";
import type { FolderArea, FolderInventoryItem } from "../provider/api/index.js";

/** A folder of protection groups or of recovery plans in one pairing. */
export interface FolderState {
  id: string;
  pairingId: string;
  area: FolderArea;
  name: string;
  /** Id of the parent folder (a root folder for top-level folders). */
  parent: string;
}

/** The root folder of each tree; every pairing has both, and they cannot be renamed or deleted. */
export const ROOT_FOLDERS: Record<FolderArea, { id: string; name: string }> = {
  protection: { id: "DrProtectionGroupFolder:root", name: "Protection Groups" },
  recovery: { id: "DrRecoveryPlanFolder:root", name: "Recovery Plans" },
};

/** What a folder can hold besides folders: a group or a plan, with its folder. */
export interface FolderMember {
  id: string;
  name: string;
  folderId?: string;
}

/** The folder trees of protection groups and recovery plans. */
export class FolderModel {
  readonly folders = new Map<string, FolderState>();

  add(f: Omit<FolderState, "id">): FolderState {
    const folder = {
      ...f,
      id: `${f.area === "protection" ? "DrProtectionGroupFolder" : "DrRecoveryPlanFolder"}:${randomUUID()}`,
    };
    this.folders.set(folder.id, folder);
    return folder;
  }

  /** True when `id` is the root or a folder of `area` in the pairing. */
  exists(area: FolderArea, pairingId: string, id: string): boolean {
    if (id === ROOT_FOLDERS[area].id) return true;
    const f = this.folders.get(id);
    return f !== undefined && f.area === area && f.pairingId === pairingId;
  }

  nameOf(area: FolderArea, id: string): string {
    return id === ROOT_FOLDERS[area].id ? ROOT_FOLDERS[area].name : (this.folders.get(id)?.name ?? id);
  }

  /** `/` for the root, `/Tier1/Apps` for a folder below it. */
  pathOf(id: string): string {
    const names: string[] = [];
    for (let f = this.folders.get(id); f; f = this.folders.get(f.parent)) names.unshift(f.name);
    return `/${names.join("/")}`;
  }

  /** The folder at `path` (`/` or empty: the root). */
  findByPath(area: FolderArea, pairingId: string, path: string): string | undefined {
    let at = ROOT_FOLDERS[area].id;
    for (const name of path.split("/").filter(Boolean)) {
      const next = this.childFolders(area, pairingId, at).find((f) => f.name === name);
      if (!next) return undefined;
      at = next.id;
    }
    return at;
  }

  childFolders(area: FolderArea, pairingId: string, parent: string): FolderState[] {
    return [...this.folders.values()].filter(
      (f) => f.area === area && f.pairingId === pairingId && f.parent === parent,
    );
  }

  /** ProtectionInventoryItem / RecoveryInventoryItem of a folder. */
  folderView(area: FolderArea, id: string): FolderInventoryItem {
    const f = this.folders.get(id);
    return {
      id,
      name: this.nameOf(area, id),
      path: this.pathOf(id),
      type: "FOLDER",
      parent: f ? f.parent : null,
    };
  }

  /** The item of a group or plan in its folder. */
  memberView(area: FolderArea, m: FolderMember): FolderInventoryItem {
    const folder = m.folderId ?? ROOT_FOLDERS[area].id;
    const parentPath = this.pathOf(folder);
    return {
      id: m.id,
      name: m.name,
      path: `${parentPath === "/" ? "" : parentPath}/${m.name}`,
      type: area === "protection" ? "PROTECTION_GROUP" : "RECOVERY_PLAN",
      parent: folder,
    };
  }
}
