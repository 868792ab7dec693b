// Folders of protection groups (`protection-management/inventory`) and of recovery plans
// (`recovery-management/inventory`): one implementation serves both trees. List, read, create, rename, move,
// delete, children. Creating a folder answers a task whose result holds the new id ("Create Protection Group
// Folder": a new sub-folder, its name "must be unique amongst the peer children nodes", the root folder when no
// `location` is given). Move takes a folder "into a destination folder" of the same tree only ("Move Site
// Recovery Manager protection group folder" / "... recovery plan folder", MoveObjectSpec).
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  CreateFolderSpec,
  FOLDER_AREAS,
  MoveObjectSpec,
  RenameObjectSpec,
  type FolderArea,
  type FolderInventoryItem,
} from "../../provider/api/index.js";
import { sendSrmError, SimErrorCodes } from "../errors.js";
import { ROOT_FOLDERS, type FolderMember } from "../folder-model.js";
import type { SimulatorModel } from "../model.js";
import { TaskFailure } from "../tasks.js";
import { page, pairingAt, parseBody, type SimContext } from "./context.js";

const NOUN: Record<FolderArea, string> = { protection: "protection group", recovery: "recovery plan" };

/**
 * The folder a group or plan create names in `location` (the root when unset); false after answering 400
 * when it is not a folder of that tree in the pairing.
 */
export function folderOf(
  model: SimulatorModel,
  reply: FastifyReply,
  area: FolderArea,
  pairingId: string,
  location: string | null | undefined,
): string | undefined | false {
  if (location === undefined || location === null || location === "") return undefined;
  if (model.folders.exists(area, pairingId, location))
    return location === ROOT_FOLDERS[area].id ? undefined : location;
  sendSrmError(
    reply,
    400,
    SimErrorCodes.unknownInventoryObject,
    `field 'location': '${location}' is not a ${NOUN[area]} folder of pairing ${pairingId}.`,
  );
  return false;
}

/** The groups or plans of a pairing, as folder members. */
function members(model: SimulatorModel, area: FolderArea, pairingId: string): FolderMember[] {
  return area === "protection" ? model.protection.groupsOf(pairingId) : model.plansOf(pairingId);
}

/** Everything directly in a folder: its sub-folders, then its groups or plans. */
function itemsIn(
  model: SimulatorModel,
  area: FolderArea,
  pairingId: string,
  folderId: string,
): FolderInventoryItem[] {
  const root = ROOT_FOLDERS[area].id;
  return [
    ...model.folders.childFolders(area, pairingId, folderId).map((f) => model.folders.folderView(area, f.id)),
    ...members(model, area, pairingId)
      .filter((m) => (m.folderId ?? root) === folderId)
      .map((m) => model.folders.memberView(area, m)),
  ];
}

/** Folder routes of both trees. */
export function registerFolderRoutes(app: FastifyInstance, ctx: SimContext): void {
  for (const area of FOLDER_AREAS) registerFolderTree(app, ctx, area);
}

/** The folder routes of one tree. */
function registerFolderTree(app: FastifyInstance, ctx: SimContext, area: FolderArea): void {
  const { model, runner } = ctx;
  const base = `/pairings/:pairing_id/${area}-management/inventory`;
  const pairingOf = (request: FastifyRequest, reply: FastifyReply) => {
    const { pairing_id } = request.params as { pairing_id: string };
    const pairing = pairingAt(ctx, pairing_id);
    if (!pairing) sendSrmError(reply, 404);
    return pairing;
  };
  const folderIn = (request: FastifyRequest, reply: FastifyReply) => {
    const pairing = pairingOf(request, reply);
    if (!pairing) return undefined;
    const { folder_id } = request.params as { folder_id: string };
    if (!model.folders.exists(area, pairing.id, folder_id)) {
      sendSrmError(reply, 404);
      return undefined;
    }
    return { pairingId: pairing.id, folderId: folder_id };
  };
  const nameTaken = (pairingId: string, parent: string, name: string, except?: string) =>
    itemsIn(model, area, pairingId, parent).some(
      (i) => i.type === "FOLDER" && i.name === name && i.id !== except,
    );
  /** Why folder `id` cannot move into `destination` now; undefined when it can. */
  const moveRefusal = (id: string, destination: string) => {
    const folder = model.folders.folders.get(id);
    if (!folder)
      return { code: SimErrorCodes.unknownInventoryObject, message: `Folder ${id} no longer exists.` };
    if (!model.folders.exists(area, folder.pairingId, destination))
      return {
        code: SimErrorCodes.unknownInventoryObject,
        message: `field 'destination_parent': '${destination}' is not a ${NOUN[area]} folder of pairing ${folder.pairingId}.`,
      };
    for (let at: string | undefined = destination; at; at = model.folders.folders.get(at)?.parent)
      if (at === id)
        return {
          code: SimErrorCodes.invalidRequestBody,
          message: `field 'destination_parent': folder '${folder.name}' cannot move into itself or a folder below it.`,
        };
    if (nameTaken(folder.pairingId, destination, folder.name, folder.id))
      return {
        code: SimErrorCodes.duplicateName,
        message: `A folder named '${folder.name}' already exists in '${model.folders.nameOf(area, destination)}'.`,
      };
    return undefined;
  };

  // Without `path`: the root folder's items; with it, the items of the folder at that path.
  app.get(base, async (request, reply) => {
    const pairing = pairingOf(request, reply);
    if (!pairing) return reply;
    const { path } = request.query as { path?: string };
    const folderId = model.folders.findByPath(area, pairing.id, path ?? "/");
    if (!folderId) return sendSrmError(reply, 404);
    const body = page(ctx, request, reply, itemsIn(model, area, pairing.id, folderId));
    return body ? reply.send(body) : reply;
  });

  app.get(`${base}/:folder_id`, async (request, reply) => {
    const found = folderIn(request, reply);
    return found ? reply.send(model.folders.folderView(area, found.folderId)) : reply;
  });

  app.get(`${base}/:folder_id/children`, async (request, reply) => {
    const found = folderIn(request, reply);
    if (!found) return reply;
    const body = page(ctx, request, reply, itemsIn(model, area, found.pairingId, found.folderId));
    return body ? reply.send(body) : reply;
  });

  app.post(base, async (request, reply) => {
    const pairing = pairingOf(request, reply);
    if (!pairing) return reply;
    const spec = parseBody(CreateFolderSpec, request, reply);
    if (!spec) return reply;
    const parent = spec.location || ROOT_FOLDERS[area].id;
    if (!model.folders.exists(area, pairing.id, parent)) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.unknownInventoryObject,
        `field 'location': '${parent}' is not a ${NOUN[area]} folder of pairing ${pairing.id}.`,
      );
    }
    if (nameTaken(pairing.id, parent, spec.name)) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.duplicateName,
        `A folder named '${spec.name}' already exists in '${model.folders.nameOf(area, parent)}'.`,
      );
    }
    const task = model.newTask("Create folder", `com.vmware.dr.${area}.folder.create`, parent, spec.name);
    runner.start(task, {
      run: () => {
        const f = model.folders.add({ pairingId: pairing.id, area, name: spec.name, parent });
        task.entity = f.id;
        return { id: f.id };
      },
    });
    return reply.code(202).send(model.taskView(task));
  });

  app.post(`${base}/:folder_id/actions/rename`, async (request, reply) => {
    const found = folderIn(request, reply);
    if (!found) return reply;
    const spec = parseBody(RenameObjectSpec, request, reply);
    if (!spec) return reply;
    const folder = model.folders.folders.get(found.folderId);
    if (!folder) {
      return sendSrmError(reply, 400, SimErrorCodes.invalidRequestBody, `The root folder cannot be renamed.`);
    }
    if (nameTaken(found.pairingId, folder.parent, spec.name, folder.id)) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.duplicateName,
        `A folder named '${spec.name}' already exists in '${model.folders.nameOf(area, folder.parent)}'.`,
      );
    }
    const task = model.newTask(
      "Rename folder",
      `com.vmware.dr.${area}.folder.rename`,
      folder.id,
      folder.name,
    );
    runner.start(task, {
      run: () => {
        folder.name = spec.name;
        return { id: folder.id };
      },
    });
    return reply.code(202).send(model.taskView(task));
  });

  app.post(`${base}/:folder_id/actions/move`, async (request, reply) => {
    const found = folderIn(request, reply);
    if (!found) return reply;
    const spec = parseBody(MoveObjectSpec, request, reply);
    if (!spec) return reply;
    const folder = model.folders.folders.get(found.folderId);
    if (!folder)
      return sendSrmError(reply, 400, SimErrorCodes.invalidRequestBody, `The root folder cannot be moved.`);
    const why = moveRefusal(folder.id, spec.destination_parent);
    if (why) return sendSrmError(reply, 400, why.code, why.message);
    const task = model.newTask("Move folder", `com.vmware.dr.${area}.folder.move`, folder.id, folder.name);
    runner.start(task, {
      run: () => {
        const now = moveRefusal(folder.id, spec.destination_parent);
        if (now) throw new TaskFailure(now.message);
        folder.parent = spec.destination_parent;
        return { id: folder.id };
      },
    });
    return reply.code(202).send(model.taskView(task));
  });

  app.delete(`${base}/:folder_id`, async (request, reply) => {
    const found = folderIn(request, reply);
    if (!found) return reply;
    const folder = model.folders.folders.get(found.folderId);
    if (!folder) {
      return sendSrmError(reply, 400, SimErrorCodes.invalidRequestBody, `The root folder cannot be deleted.`);
    }
    const inside = itemsIn(model, area, found.pairingId, folder.id);
    if (inside.length > 0) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.folderNotEmpty,
        `Cannot delete folder '${folder.name}': it holds ${inside.map((i) => `'${i.name}'`).join(", ")}. Move or delete them first.`,
      );
    }
    const task = model.newTask(
      "Delete folder",
      `com.vmware.dr.${area}.folder.delete`,
      folder.id,
      folder.name,
    );
    runner.start(task, {
      run: () => {
        model.folders.folders.delete(folder.id);
        return null;
      },
    });
    return reply.code(202).send(model.taskView(task));
  });
}
