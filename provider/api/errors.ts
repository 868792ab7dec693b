import { z } from "zod";

/** SRM's error body on 400, 403 and 500 (401 and 404 have no body). */
export const ResponseError = z.object({
  error_code: z.string().optional(),
  message: z.string().optional(),
  op_id: z.string().optional(),
});
export type ResponseError = z.infer<typeof ResponseError>;

/** One entry of `_meta.errors` on SRM responses. */
export const MetaError = z.object({
  code: z.string().optional(),
  message: z.string().optional(),
  field: z.string(),
});

export const Metadata = z.object({ errors: z.array(MetaError).optional() });

export const HrefDrData = z.object({ href: z.string().optional() });

export const MetadataList = z.object({
  errors: z.array(MetaError).optional(),
  total: z.number().int().optional(),
  offset: z.number().int().optional(),
  limit: z.number().int().optional(),
  links: z
    .object({ next: HrefDrData.optional(), self: HrefDrData.optional(), previous: HrefDrData.optional() })
    .optional(),
});
export type MetadataList = z.infer<typeof MetadataList>;

/** Builds the schema of SRM's paged list envelope `{list, _meta}` for an item schema. */
export function listOf<T extends z.ZodTypeAny>(item: T) {
  return z.object({ list: z.array(item), _meta: MetadataList.optional() });
}
