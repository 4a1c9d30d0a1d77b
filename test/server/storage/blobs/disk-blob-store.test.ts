/** The BlobStore contract on a local folder (DiskBlobStore), opened through its file:// URL. */
import {pathToFileURL} from 'node:url'
import test from 'ava'
import {openBlobStore} from '#server/storage/blobs/open-blob-store.js'
import {tempDir} from '../../../helpers/temp.js'
import {blobStoreContract} from './blob-store-contract.js'

blobStoreContract(test, 'disk', async (t) => openBlobStore(pathToFileURL(await tempDir(t, 'sync-blobs-')).href))
