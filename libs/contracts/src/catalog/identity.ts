import {
  APICreateAccountMsg, APIDeleteAccountMsg, APILogInByAccountMsg, APILogInMsg, APILogOutMsg, APIQueryAccountMsg,
  APIRenewSessionMsg, APIUpdateAccountMsg, APIValidateSessionMsg,
} from '../identity/dto';
import { AccountInventoryDescriptor, SessionInventoryDescriptor } from '../identity/inventories';
import type { ApiEntry } from './types';

export const IDENTITY_APIS = [
  {
    name: 'CreateAccount', context: 'identity', method: 'POST', paths: ['/accounts'], bodyKey: 'params',
    kind: 'async', auth: 'session', request: APICreateAccountMsg, result: AccountInventoryDescriptor,
  },
  {
    name: 'UpdateAccount', context: 'identity', method: 'PUT', paths: ['/accounts/{uuid}'], bodyKey: 'updateAccount',
    kind: 'async', auth: 'session', request: APIUpdateAccountMsg, result: AccountInventoryDescriptor,
  },
  {
    name: 'DeleteAccount', context: 'identity', method: 'DELETE', paths: ['/accounts/{uuid}'],
    kind: 'async', auth: 'session', request: APIDeleteAccountMsg,
  },
  {
    name: 'QueryAccount', context: 'identity', method: 'GET', paths: ['/accounts', '/accounts/{uuid}'],
    kind: 'sync', auth: 'session', query: true, request: APIQueryAccountMsg, result: AccountInventoryDescriptor,
  },
  {
    name: 'LogInByAccount', context: 'identity', method: 'PUT', paths: ['/accounts/login'], bodyKey: 'logInByAccount',
    kind: 'sync', auth: 'none', request: APILogInByAccountMsg, result: SessionInventoryDescriptor,
  },
  {
    name: 'LogIn', context: 'identity', method: 'PUT', paths: ['/login'], bodyKey: 'logIn',
    kind: 'sync', auth: 'none', request: APILogInMsg, result: SessionInventoryDescriptor,
  },
  {
    name: 'LogOut', context: 'identity', method: 'DELETE', paths: ['/accounts/sessions/{sessionUuid}'],
    kind: 'sync', auth: 'none', request: APILogOutMsg,
  },
  {
    name: 'ValidateSession', context: 'identity', method: 'GET', paths: ['/accounts/sessions/{sessionUuid}/valid'],
    kind: 'sync', auth: 'none', request: APIValidateSessionMsg,
  },
  {
    name: 'RenewSession', context: 'identity', method: 'PUT', paths: ['/accounts/sessions/{sessionUuid}/renew'],
    bodyKey: 'renewSession', kind: 'async', auth: 'session', request: APIRenewSessionMsg, result: SessionInventoryDescriptor,
  },
] as const satisfies readonly ApiEntry[];
