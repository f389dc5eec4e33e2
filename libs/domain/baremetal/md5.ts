import { createHash } from 'node:crypto';

/** md5sum: lowercase hex MD5 of the content's UTF-8 bytes (ZStack's StringDSL.getMd5Sum). */
export const md5 = (content: string): string => createHash('md5').update(content, 'utf8').digest('hex');
