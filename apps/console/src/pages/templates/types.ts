/** A preconfiguration template as QueryPreconfigurationTemplate returns it (ZStack's inventory). */
export interface Template {
  uuid: string;
  name: string;
  description?: string;
  distribution: string;
  type: TemplateType;
  content?: string;
  md5sum?: string;
  isPredefined: boolean;
  state: 'Enabled' | 'Disabled';
  createDate: string;
  lastOpDate: string;
  customParams?: string[];
}

export const TEMPLATE_TYPES = ['kickstart', 'preseed', 'autoyast', 'autoinstall'] as const;
export type TemplateType = (typeof TEMPLATE_TYPES)[number];
export const TYPE_LABELS: Record<TemplateType, string> = {
  kickstart: 'Kickstart', preseed: 'Preseed', autoyast: 'AutoYaST', autoinstall: 'Autoinstall',
};
/** The list's fields: everything but the content (the read model does not touch contents for it). */
export const LIST_FIELDS = ['uuid', 'name', 'description', 'distribution', 'type', 'isPredefined', 'state', 'createDate', 'lastOpDate'] as const;

export interface QueryReply<T> {
  inventories: T[];
  total?: number;
}

/** What the template's form holds. */
export interface TemplateDraft {
  name: string;
  description: string;
  distribution: string;
  type: TemplateType;
  content: string;
}
